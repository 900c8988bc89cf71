using FunctionsBench.StateFun;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.GreeterFunctions;

/// <summary>What the greeter entity remembers about one user.</summary>
public sealed class GreeterState
{
    /// <summary>How many times the user has logged in.</summary>
    public int SeenCount { get; set; }

    /// <summary>When the user last logged in (UTC), or null before the first login.</summary>
    public DateTime? LastSeen { get; set; }

    /// <summary>The answers to the most recent logins that carried an id, newest last (at most the callers' window).</summary>
    public List<RememberedLogin> RecentLogins { get; set; } = [];

    /// <summary>Logins delivered again after they had been counted, answered from <see cref="RecentLogins"/>.</summary>
    public int DuplicatesIgnored { get; set; }
}

/// <summary>A counted login's id and the answer it got.</summary>
public sealed record RememberedLogin(long Id, int SeenCount, long LastSeenDeltaMs);

/// <summary>A login: the user's display name and the login time chosen by the caller (replay-safe).</summary>
/// <param name="UserName">The name the greeting uses.</param>
/// <param name="At">The login time.</param>
/// <param name="Id">
/// The caller's id for this login, unique per entity; a second delivery of an id already counted gets the first answer
/// and is not counted again. Null: every delivery counts.
/// </param>
/// <param name="InFlight">
/// How many logins the caller may have outstanding at once (1-64): the entity remembers that many answers, which
/// covers every request a caller can send again.
/// </param>
public sealed record LoginRequest(string UserName, DateTime At, long? Id = null, int InFlight = 1);

/// <summary>The entity's answer to a login: the new count, the time since the previous login and the greeting.</summary>
public sealed record LoginReply(int SeenCount, long LastSeenDeltaMs, string Greeting);

/// <summary>
/// The greeter entity, keyed by user: Durable Functions' counterpart of StateFun's <c>greeter.fns/user</c>.
/// It keeps the seen-count and last-seen time and answers with the same greeting the StateFun greeter sends.
/// </summary>
/// <remarks>
/// The Azure Storage provider sends an orchestration's messages before it commits the step that sent them; when the
/// host dies in between, the replayed step sends the same operation again under a new request id. StateFun's runtime
/// rolls the user's state back to its last checkpoint in that case, so each login counts once; here the caller's login
/// id does that job: a login whose id is among the last <see cref="LoginRequest.InFlight"/> counted is answered as
/// before and not counted twice.
/// </remarks>
public sealed class GreeterEntity : TaskEntity<GreeterState>
{
    /// <summary>The most logins a caller may have in flight (the bench's largest parallelism).</summary>
    public const int MaxInFlight = 64;

    /// <summary>Functions trigger.</summary>
    [Function(nameof(GreeterEntity))]
    public static Task Run([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<GreeterEntity>();

    /// <summary>Records a login and returns the greeting for it.</summary>
    public LoginReply Login(LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.InFlight is < 1 or > MaxInFlight)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.InFlight, $"InFlight must be from 1 to {MaxInFlight}.");
        }

        List<RememberedLogin> recent = this.State.RecentLogins;
        if (request.Id is long id && recent.FindLast(l => l.Id == id) is { } counted)
        {
            this.State.DuplicatesIgnored++;
            return new LoginReply(counted.SeenCount, counted.LastSeenDeltaMs, GreetingText.For(counted.SeenCount, request.UserName, counted.LastSeenDeltaMs));
        }

        DateTime last = this.State.LastSeen ?? request.At;
        this.State.SeenCount++;
        this.State.LastSeen = request.At;
        long deltaMs = (long)(request.At - last).TotalMilliseconds;
        if (request.Id is long newId)
        {
            recent.Add(new RememberedLogin(newId, this.State.SeenCount, deltaMs));
            if (recent.Count > request.InFlight)
            {
                recent.RemoveRange(0, recent.Count - request.InFlight);
            }
        }

        return new LoginReply(this.State.SeenCount, deltaMs, GreetingText.For(this.State.SeenCount, request.UserName, deltaMs));
    }

    /// <summary>The current state.</summary>
    public GreeterState Get() => this.State;

    /// <inheritdoc/>
    protected override GreeterState InitializeState(TaskEntityOperation entityOperation) => new();
}
