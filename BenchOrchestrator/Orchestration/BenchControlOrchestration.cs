using System.Text.Json;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.GreeterFunctions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>Progress of a run, published as the control orchestration's custom status.</summary>
public sealed record BenchProgress(
    string Scenario, int Invocations, int Repetition, int Done, int Total, int Unit, int Units, long DoneOverall, long TotalOverall);

/// <summary>
/// The control orchestration's input, and what it carries from one generation to the next across ContinueAsNew:
/// where the run is, the results so far, for the StateFun scenario the emulated runtime's state, and the floors measured
/// by the first generation (null until then), and whether the warm-up is done.
/// </summary>
public sealed record BenchControlState(
    BenchRun Run,
    DateTime? StartedAt,
    int Unit,
    int NextSequence,
    DateTime? UnitStartedAt,
    IReadOnlyList<ScenarioResult> Results,
    JsonElement? StateFunState,
    BenchFloors? Floors = null,
    bool WarmedUp = false)
{
    /// <summary>The state a run starts from.</summary>
    public static BenchControlState Start(BenchRun run) => new(run, null, 0, 0, null, [], null);
}

/// <summary>
/// The benchmark's control orchestration: runs every (scenario, N, repetition) of the request in turn, one invocation
/// after another (or <c>parallelism</c> at a time), times each invocation with the orchestration clock, sends the
/// records to the timings entities and returns the results document.
/// </summary>
/// <remarks>
/// Every unit starts on a fresh history (ContinueAsNew between units). In <c>single</c> mode a unit's history then
/// grows with N, as in the thesis; in <c>checkpointed</c> mode it is cut every <c>checkpointEvery</c> invocations.
/// Records are flushed to the entities at the same interval in both modes, so recording costs the same in both.
/// </remarks>
public class BenchControlOrchestration : TaskOrchestrator<BenchControlState, ResultsDocument?>
{
    /// <summary>How often a unit re-reads its chunk summaries when fewer than N records have arrived yet.</summary>
    private const int SummaryAttempts = 10;

    /// <summary>Functions trigger.</summary>
    [Function(nameof(BenchControlOrchestration))]
    public static Task<ResultsDocument?> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new BenchControlOrchestration().RunAsync(context, context.GetInput<BenchControlState>()
            ?? throw new InvalidOperationException("The control orchestration needs its input."));

    /// <inheritdoc/>
    public override async Task<ResultsDocument?> RunAsync(TaskOrchestrationContext context, BenchControlState state)
    {
        BenchSettings settings = state.Run.Settings;
        IReadOnlyList<BenchUnit> units = BenchPlan.Units(settings);
        DateTime startedAt = state.StartedAt ?? context.CurrentUtcDateTime;
        if (state.Floors is null)
        {
            // Before the first unit's clock starts, so a unit's execution time never includes the floors.
            state = state with { Floors = await MeasureFloorsAsync(context, state.Run) };
        }

        if (!state.WarmedUp)
        {
            string[] warmUp = [.. settings.Scenarios.Where(s => s != Scenarios.StateFun && settings.Warmup > 0)];
            if (warmUp.Length > 0)
            {
                // A generation of its own, so the first unit starts on an empty history as every other unit does.
                await WarmUpAsync(context, state.Run, warmUp);
                context.ContinueAsNew(state with { StartedAt = startedAt, WarmedUp = true });
                return null;
            }

            state = state with { WarmedUp = true };
        }

        long doneBefore = units.Take(state.Unit).Sum(u => (long)u.Invocations) + state.NextSequence;

        if (state.Unit < units.Count)
        {
            BenchUnit unit = units[state.Unit];
            // The unit starts with its first invocation: for statefun that is the driver's first login, not the moment
            // the orchestration scheduled the driver activity (a storage round trip earlier).
            DateTime? unitStart = state.UnitStartedAt;
            var invoker = new ScenarioInvoker(context, state.Run, unit, state.StateFunState);
            var pending = new List<TimingRecord>();
            int sequence = state.NextSequence;
            int sinceCheckpoint = 0;
            DateTime unitEnd = DateTime.MinValue;

            // ContinueAsNew starts each generation without custom status; until the first step commits, show where it starts.
            context.SetCustomStatus(Progress(unit, sequence, state.Unit, units, doneBefore, settings));

            while (sequence < unit.Invocations)
            {
                int step = StepSize(unit, sequence, sinceCheckpoint, settings);
                IReadOnlyList<TimingRecord> records = await invoker.InvokeAsync(sequence, step, settings.Parallelism);
                pending.AddRange(records);
                unitStart ??= records.Min(r => r.Start);
                unitEnd = records.Max(r => r.End);
                sequence += step;
                sinceCheckpoint += step;
                context.SetCustomStatus(Progress(unit, sequence, state.Unit, units, doneBefore + (sequence - state.NextSequence), settings));

                if (sinceCheckpoint >= settings.CheckpointEvery)
                {
                    await this.FlushAsync(context, state.Run.RunId, unit, pending);
                    sinceCheckpoint = 0;
                    if (settings.Mode == BenchModes.Checkpointed && sequence < unit.Invocations)
                    {
                        context.ContinueAsNew(state with
                        {
                            StartedAt = startedAt, NextSequence = sequence, UnitStartedAt = unitStart, StateFunState = invoker.StateFunState,
                        });
                        return null;
                    }
                }
            }

            await this.FlushAsync(context, state.Run.RunId, unit, pending);
            await invoker.VerifyFinalStateAsync();
            IReadOnlyList<double> latencies = await this.ReadLatenciesAsync(context, state.Run.RunId, unit);
            ScenarioResult result = ScenarioResult.From(
                unit, unitStart ?? throw new InvalidOperationException($"Unit {state.Unit + 1} made no invocation."), unitEnd, latencies, state.Floors);

            // Each unit starts on an empty history: units must not pay for the history of the ones before them.
            context.ContinueAsNew(state with
            {
                StartedAt = startedAt, Unit = state.Unit + 1, NextSequence = 0, UnitStartedAt = null,
                Results = [.. state.Results, result], StateFunState = null,
            });
            return null;
        }

        // ContinueAsNew starts each generation without custom status: show the finished run as complete.
        BenchUnit last = units[^1];
        context.SetCustomStatus(Progress(last, last.Invocations, units.Count - 1, units, BenchPlan.TotalInvocations(settings), settings));
        return new ResultsDocument(
            state.Run.RunId, state.Run.Host, state.Run.StorageProvider, startedAt, context.CurrentUtcDateTime,
            settings, state.Results, ScenarioSummary.Of(state.Results), state.Floors, Storage: state.Run.Storage, Environment: state.Run.Environment);
    }

    /// <summary>
    /// Measures the storage and HTTP floors. The activity records a floor it cannot measure as an error; should the
    /// activity itself fail, the run still goes on, with the failure as the reason for both floors.
    /// </summary>
    private static async Task<BenchFloors> MeasureFloorsAsync(TaskOrchestrationContext context, BenchRun run)
    {
        try
        {
            return await context.CallActivityAsync<BenchFloors>(
                nameof(MeasureFloors), new MeasureFloorsInput(
                    run.Settings.StateFunUrl, run.Settings.UserId, run.Settings.UserName, run.StateFunKey, run.Settings.Scenarios.Contains(Scenarios.StateFun)));
        }
        catch (TaskFailedException e)
        {
            return BenchFloors.Unmeasured($"the {nameof(MeasureFloors)} activity failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}");
        }
    }

    /// <summary>
    /// Runs <see cref="BenchSettings.Warmup"/> unrecorded invocations of each of <paramref name="scenarios"/>, as
    /// repetition 0 (their own greeter entity and sub-orchestration ids), with every answer checked as in a unit. A
    /// fresh host runs its first few hundred invocations at about 1.6 times the steady latency while its code is being
    /// compiled and optimised; StateFun's driver and greeter are warmed up with the floors.
    /// </summary>
    private static async Task WarmUpAsync(TaskOrchestrationContext context, BenchRun run, IEnumerable<string> scenarios)
    {
        BenchSettings settings = run.Settings;
        foreach (string scenario in scenarios)
        {
            var invoker = new ScenarioInvoker(context, run, new BenchUnit(scenario, settings.Warmup, Repetition: 0), stateFunState: null);
            await invoker.InvokeAsync(0, settings.Warmup, settings.Parallelism);
            await invoker.VerifyFinalStateAsync();
        }
    }

    /// <summary>
    /// How many invocations the next step makes. Durable Functions scenarios stop at every checkpoint. The StateFun
    /// driver runs up to the next timings-chunk boundary in one activity call: each call costs an orchestration round
    /// trip that is the harness's, not StateFun's, and a crash still loses at most one chunk.
    /// </summary>
    private static int StepSize(BenchUnit unit, int sequence, int sinceCheckpoint, BenchSettings settings)
        => unit.Scenario == Scenarios.StateFun
            ? Math.Min(unit.Invocations - sequence, TimingsChunk.Size - (sequence % TimingsChunk.Size))
            : Math.Min(unit.Invocations - sequence, settings.CheckpointEvery - sinceCheckpoint);

    private static BenchProgress Progress(BenchUnit unit, int done, int unitIndex, IReadOnlyList<BenchUnit> units, long doneOverall, BenchSettings settings)
        => new(unit.Scenario, unit.Invocations, unit.Repetition, done, unit.Invocations, unitIndex + 1, units.Count, doneOverall, BenchPlan.TotalInvocations(settings));

    /// <summary>Sends the pending records to their chunks, one signal per chunk, and empties <paramref name="pending"/>.</summary>
    private async Task FlushAsync(TaskOrchestrationContext context, string runId, BenchUnit unit, List<TimingRecord> pending)
    {
        await this.RecordAsync(context, runId, unit, pending);
        pending.Clear();
    }

    /// <summary>Stores timing records durably: one signal per timings chunk.</summary>
    protected virtual async Task RecordAsync(TaskOrchestrationContext context, string runId, BenchUnit unit, IReadOnlyList<TimingRecord> records)
    {
        foreach (IGrouping<int, TimingRecord> chunk in records.GroupBy(r => TimingsChunk.IndexOf(r.Sequence)))
        {
            var batch = new TimingBatch(unit.Scenario, unit.Invocations, unit.Repetition, chunk.ToList());
            await context.Entities.SignalEntityAsync(TimingsChunk.IdFor(runId, unit, chunk.Key), nameof(TimingsEntity.Record), batch);
        }
    }

    /// <summary>
    /// Reads every chunk's latencies. Signals from earlier generations of this instance are normally processed before
    /// this call, but the order across ContinueAsNew is not guaranteed, so a short count is re-read after a pause
    /// before the result reports what actually arrived.
    /// </summary>
    protected virtual async Task<IReadOnlyList<double>> ReadLatenciesAsync(TaskOrchestrationContext context, string runId, BenchUnit unit)
    {
        for (int attempt = 1; ; attempt++)
        {
            IEnumerable<Task<ChunkSummary>> reads = Enumerable.Range(0, TimingsChunk.CountFor(unit.Invocations))
                .Select(chunk => context.Entities.CallEntityAsync<ChunkSummary>(TimingsChunk.IdFor(runId, unit, chunk), nameof(TimingsEntity.Summary)));
            ChunkSummary[] summaries = await Task.WhenAll(reads);
            if (summaries.Sum(s => s.Recorded) >= unit.Invocations || attempt == SummaryAttempts)
            {
                return summaries.SelectMany(s => s.LatenciesMs).ToList();
            }

            await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }
}

/// <summary>Runs the invocations of one unit and checks every answer, so a wrong or lost result fails the run loudly.</summary>
internal sealed class ScenarioInvoker(TaskOrchestrationContext context, BenchRun run, BenchUnit unit, JsonElement? stateFunState)
{
    /// <summary>The emulated StateFun runtime's state after the invocations made so far.</summary>
    public JsonElement? StateFunState { get; private set; } = stateFunState;

    private EntityInstanceId GreeterId => new(nameof(GreeterEntity), $"{run.Settings.UserId}@{run.RunId}.{unit.Invocations}.{unit.Repetition}");

    /// <summary>Invokes sequences <paramref name="first"/> .. first + count - 1, at most <paramref name="parallelism"/> at a time.</summary>
    public async Task<IReadOnlyList<TimingRecord>> InvokeAsync(int first, int count, int parallelism)
    {
        if (unit.Scenario == Scenarios.StateFun)
        {
            // The StateFun runtime delivers one message at a time per address; the driver does the same.
            StateFunLoginsOutput output = await context.CallActivityAsync<StateFunLoginsOutput>(
                nameof(StateFunLogins),
                new StateFunLoginsInput(run.Settings.StateFunUrl, run.Settings.UserId, run.Settings.UserName, first, count, this.StateFunState, run.StateFunKey));
            this.StateFunState = output.RuntimeState;
            if (output.Records.Count != count || output.Records.Select((r, i) => r.Sequence != first + i).Any(bad => bad))
            {
                throw new InvalidOperationException($"The StateFun driver returned {output.Records.Count} records for sequences {first}..{first + count - 1}.");
            }

            return output.Records;
        }

        var records = new List<TimingRecord>(count);
        for (int offset = 0; offset < count; offset += parallelism)
        {
            int batch = Math.Min(parallelism, count - offset);
            records.AddRange(await Task.WhenAll(Enumerable.Range(first + offset, batch).Select(this.InvokeOnceAsync)));
        }

        return records;
    }

    /// <summary>Checks state that only the end of a unit can show (the greeter entity saw exactly N logins).</summary>
    public async Task VerifyFinalStateAsync()
    {
        if (unit.Scenario == Scenarios.DfEntity)
        {
            GreeterState final = await context.Entities.CallEntityAsync<GreeterState>(this.GreeterId, nameof(GreeterEntity.Get));
            if (final.SeenCount != unit.Invocations)
            {
                throw new InvalidOperationException($"The greeter entity counted {final.SeenCount} logins; {unit.Invocations} were made.");
            }
        }
    }

    private async Task<TimingRecord> InvokeOnceAsync(int sequence)
    {
        DateTime start = context.CurrentUtcDateTime;
        string name = run.Settings.UserName;
        switch (unit.Scenario)
        {
            case Scenarios.DfActivity:
                Expect(await context.CallActivityAsync<string>(nameof(SayHello), name), SayHello.Greeting(name), sequence);
                break;
            case Scenarios.DfSubOrchestration:
                var options = new SubOrchestrationOptions { InstanceId = $"{run.RunId}:{unit.Invocations}:{unit.Repetition}:{sequence}" };
                Expect(await context.CallSubOrchestratorAsync<string>(nameof(GreeterOrchestration), name, options), SayHello.Greeting(name), sequence);
                break;
            case Scenarios.DfEntity:
                LoginReply reply = await context.Entities.CallEntityAsync<LoginReply>(this.GreeterId, nameof(GreeterEntity.Login), new LoginRequest(name, start, sequence, run.Settings.Parallelism));
                bool inOrder = run.Settings.Parallelism == 1;
                if (inOrder ? reply.SeenCount != sequence + 1 : reply.SeenCount < 1 || reply.SeenCount > unit.Invocations)
                {
                    throw new InvalidOperationException($"Login {sequence} got seen-count {reply.SeenCount} from the greeter entity.");
                }

                break;
            default:
                throw new InvalidOperationException($"Scenario '{unit.Scenario}' is not a Durable Functions scenario.");
        }

        return new TimingRecord(sequence, start, context.CurrentUtcDateTime);
    }

    private static void Expect(string actual, string expected, int sequence)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Invocation {sequence} returned \"{actual}\"; expected \"{expected}\".");
        }
    }
}
