using FunctionsBench.StateFun;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.GreeterFunctions;

/// <summary>What the greeter entity remembers about one user.</summary>
public sealed class GreeterState
{
    /// <summary>How many times the user has logged in.</summary>
    public int SeenCount { get; set; }

    /// <summary>When the user last logged in (UTC), or null before the first login.</summary>
    public DateTime? LastSeen { get; set; }
}

/// <summary>A login: the user's display name and the login time chosen by the caller (replay-safe).</summary>
public sealed record LoginRequest(string UserName, DateTime At);

/// <summary>The entity's answer to a login: the new count, the time since the previous login and the greeting.</summary>
public sealed record LoginReply(int SeenCount, long LastSeenDeltaMs, string Greeting);

/// <summary>
/// The greeter entity, keyed by user: Durable Functions' counterpart of StateFun's <c>greeter.fns/user</c>.
/// It keeps the seen-count and last-seen time and answers with the same greeting the StateFun greeter sends.
/// </summary>
public sealed class GreeterEntity : TaskEntity<GreeterState>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(GreeterEntity))]
    public static Task Run([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<GreeterEntity>();

    /// <summary>Records a login and returns the greeting for it.</summary>
    public LoginReply Login(LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTime last = this.State.LastSeen ?? request.At;
        this.State.SeenCount++;
        this.State.LastSeen = request.At;
        long deltaMs = (long)(request.At - last).TotalMilliseconds;
        return new LoginReply(this.State.SeenCount, deltaMs, GreetingText.For(this.State.SeenCount, request.UserName, deltaMs));
    }

    /// <summary>The current state.</summary>
    public GreeterState Get() => this.State;

    /// <inheritdoc/>
    protected override GreeterState InitializeState(TaskEntityOperation entityOperation) => new();
}
