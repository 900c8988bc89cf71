using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Configuration;

namespace FunctionsBench.Tests;

public class TimingsEntityTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly BenchUnit Unit = new(Scenarios.DfActivity, 2500, 2);

    private static EntityHarness NewChunk(int chunk)
        => new(new TimingsEntity(new BenchTelemetry(new ConfigurationBuilder().Build())), TimingsChunk.IdFor("run1", Unit, chunk));

    private static TimingRecord Rec(int sequence, double latencyMs)
        => new(sequence, T0.AddSeconds(sequence), T0.AddSeconds(sequence).AddMilliseconds(latencyMs));

    private static TimingBatch Batch(params TimingRecord[] records) => new(Unit.Scenario, Unit.Invocations, Unit.Repetition, records);

    [Fact]
    public async Task Record_SameBatchTwice_StoresEachSequenceOnce()
    {
        EntityHarness chunk = NewChunk(0);
        TimingBatch batch = Batch(Rec(0, 5), Rec(1, 6), Rec(2, 7));

        await chunk.RunAsync(nameof(TimingsEntity.Record), batch);
        await chunk.RunAsync(nameof(TimingsEntity.Record), batch);
        ChunkSummary? summary = await chunk.RunAsync<ChunkSummary>(nameof(TimingsEntity.Summary));

        Assert.Equal(3, summary!.Recorded);
        Assert.Equal([5.0, 6.0, 7.0], summary.LatenciesMs);
    }

    [Fact]
    public async Task Record_RetriedRecord_OverwritesItsSlot()
    {
        EntityHarness chunk = NewChunk(0);

        await chunk.RunAsync(nameof(TimingsEntity.Record), Batch(Rec(4, 5)));
        await chunk.RunAsync(nameof(TimingsEntity.Record), Batch(Rec(4, 9)));

        TimingsChunk state = chunk.State<TimingsChunk>()!;
        Assert.Equal(1, state.Recorded);
        Assert.Equal(9, state.Records().Single().LatencyMs, 3);
    }

    [Fact]
    public async Task Record_LastChunk_HasOnlyTheRemainingSlots()
    {
        EntityHarness chunk = NewChunk(2);

        await chunk.RunAsync(nameof(TimingsEntity.Record), Batch(Rec(2000, 1), Rec(2499, 2)));

        TimingsChunk state = chunk.State<TimingsChunk>()!;
        Assert.Equal(2000, state.FirstSequence);
        Assert.Equal(500, state.StartUs.Length);
        Assert.Equal([2000, 2499], state.Records().Select(r => r.Sequence));
        Assert.Equal((Unit.Scenario, Unit.Invocations, Unit.Repetition), (state.Scenario, state.Invocations, state.Repetition));
    }

    [Fact]
    public async Task Record_SequenceOfAnotherChunk_ThrowsAndKeepsState()
    {
        EntityHarness chunk = NewChunk(0);
        await chunk.RunAsync(nameof(TimingsEntity.Record), Batch(Rec(10, 1)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => chunk.RunAsync(nameof(TimingsEntity.Record), Batch(Rec(1000, 1))));

        Assert.Equal(1, chunk.State<TimingsChunk>()!.Recorded);
    }

    [Fact]
    public async Task Record_OtherUnit_Throws()
    {
        EntityHarness chunk = NewChunk(0);
        await chunk.RunAsync(nameof(TimingsEntity.Record), Batch(Rec(0, 1)));

        var other = new TimingBatch(Scenarios.StateFun, Unit.Invocations, Unit.Repetition, [Rec(1, 1)]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => chunk.RunAsync(nameof(TimingsEntity.Record), other));
    }

    [Fact]
    public void ChunkLayout_SplitsAtOneThousand()
    {
        Assert.Equal((0, 0, 1, 15), (TimingsChunk.IndexOf(0), TimingsChunk.IndexOf(999), TimingsChunk.IndexOf(1000), TimingsChunk.IndexOf(15_999)));
        Assert.Equal((1, 1, 2, 16), (TimingsChunk.CountFor(1), TimingsChunk.CountFor(1000), TimingsChunk.CountFor(1001), TimingsChunk.CountFor(16_000)));
        Assert.Equal(new EntityInstanceId(nameof(TimingsEntity), "run1/df-activity/2500/2/1"), TimingsChunk.IdFor("run1", Unit, 1));
    }

    [Fact]
    public void MicrosecondClock_RoundTripsToTheMicrosecond()
    {
        DateTime t = T0.AddTicks(1234567);

        Assert.Equal(t.AddTicks(-(t.Ticks % 10)), TimingsChunk.FromUs(TimingsChunk.ToUs(t)));
    }
}

public class GreeterEntityTests
{
    [Fact]
    public async Task Login_FiveTimes_CountsAndGreetsLikeTheStateFunGreeter()
    {
        var greeter = new EntityHarness(new GreeterEntity(), new EntityInstanceId(nameof(GreeterEntity), "1"));
        DateTime t0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        var replies = new List<LoginReply>();
        for (int i = 0; i < 5; i++)
        {
            replies.Add((await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0.AddMilliseconds(250 * i))))!);
        }

        Assert.Equal([1, 2, 3, 4, 5], replies.Select(r => r.SeenCount));
        Assert.Equal("Welcome Joe!", replies[0].Greeting);
        Assert.Equal("Nice to see you again Joe.", replies[1].Greeting);
        Assert.Equal("Third time is a charm Joe!", replies[2].Greeting);
        Assert.Equal("Nice to see you for the 4th time, Joe! It has been 250 milliseconds since we last saw you.", replies[3].Greeting);
        Assert.Equal(0, replies[0].LastSeenDeltaMs);
        GreeterState state = (await greeter.RunAsync<GreeterState>(nameof(GreeterEntity.Get)))!;
        Assert.Equal(5, state.SeenCount);
        Assert.Equal(t0.AddMilliseconds(1000), state.LastSeen);
    }

    [Fact]
    public async Task Login_SameIdDeliveredAgain_AnsweredAsBeforeAndCountedOnce()
    {
        var greeter = new EntityHarness(new GreeterEntity(), new EntityInstanceId(nameof(GreeterEntity), "2"));
        DateTime t0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        LoginReply first = (await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0, Id: 0)))!;
        LoginReply second = (await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0.AddMilliseconds(40), Id: 1)))!;
        // The replayed step sends login 1 again, later and under a new request id; only the login id is the same.
        LoginReply again = (await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0.AddMilliseconds(900), Id: 1)))!;
        LoginReply third = (await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0.AddMilliseconds(1000), Id: 2)))!;

        Assert.Equal((1, 2, 3), (first.SeenCount, second.SeenCount, third.SeenCount));
        Assert.Equal(second, again);
        GreeterState state = greeter.State<GreeterState>()!;
        Assert.Equal(3, state.SeenCount);
        Assert.Equal(1, state.DuplicatesIgnored);
        Assert.Equal([2L], state.RecentLogins.Select(l => l.Id));
    }

    [Fact]
    public async Task Login_InFlightWindow_RemembersThatManyAnswersAndNoMore()
    {
        var greeter = new EntityHarness(new GreeterEntity(), new EntityInstanceId(nameof(GreeterEntity), "3"));
        DateTime t0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        for (int id = 0; id < 10; id++)
        {
            await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0.AddMilliseconds(id), id, InFlight: 4));
        }

        LoginReply inWindow = (await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0.AddSeconds(1), 6, InFlight: 4)))!;

        Assert.Equal(7, inWindow.SeenCount);
        GreeterState state = greeter.State<GreeterState>()!;
        Assert.Equal([6L, 7L, 8L, 9L], state.RecentLogins.Select(l => l.Id));
        Assert.Equal((10, 1), (state.SeenCount, state.DuplicatesIgnored));
    }

    [Fact]
    public async Task Login_WithoutId_CountsEveryDelivery()
    {
        var greeter = new EntityHarness(new GreeterEntity(), new EntityInstanceId(nameof(GreeterEntity), "4"));
        DateTime t0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0));
        LoginReply second = (await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", t0)))!;

        Assert.Equal(2, second.SeenCount);
        Assert.Empty(greeter.State<GreeterState>()!.RecentLogins);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(GreeterEntity.MaxInFlight + 1)]
    public async Task Login_InFlightOutOfRange_ThrowsAndCountsNothing(int inFlight)
    {
        var greeter = new EntityHarness(new GreeterEntity(), new EntityInstanceId(nameof(GreeterEntity), "5"));
        await greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", DateTime.UnixEpoch, 0));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => greeter.RunAsync<LoginReply>(nameof(GreeterEntity.Login), new LoginRequest("Joe", DateTime.UnixEpoch, 1, inFlight)));

        Assert.Equal(1, greeter.State<GreeterState>()!.SeenCount);
    }
}
