using FunctionsBench.GreeterFunctions;
using FunctionsBench.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Embedded.Tests;

/// <summary>Durable functions that exercise what the app's own functions do not: waiting, failing, custom status.</summary>
public static class TestFunctions
{
    /// <summary>The test functions, registered next to the app's.</summary>
    public static IReadOnlyList<DurableFunctionEntry> All { get; } =
    [
        new(nameof(WaitForApproval), DurableFunctionKind.Orchestrator, typeof(WaitForApproval)),
        new(nameof(Fail), DurableFunctionKind.Orchestrator, typeof(Fail)),
        new(nameof(LoginRepeatedly), DurableFunctionKind.Orchestrator, typeof(LoginRepeatedly)),
        new(nameof(CatchActivityFailure), DurableFunctionKind.Orchestrator, typeof(CatchActivityFailure)),
        new(nameof(ThrowingActivity), DurableFunctionKind.Activity, typeof(ThrowingActivity)),
    ];

    /// <summary>The event <see cref="WaitForApproval"/> waits for.</summary>
    public const string ApprovalEvent = "approve";

    /// <summary>Sets its custom status to "waiting", waits for <see cref="ApprovalEvent"/> and returns "approved: {payload}".</summary>
    public sealed class WaitForApproval : TaskOrchestrator<string, string>
    {
        /// <inheritdoc/>
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            context.SetCustomStatus("waiting");
            string payload = await context.WaitForExternalEvent<string>(ApprovalEvent);
            context.SetCustomStatus("approved");
            return $"approved: {payload}";
        }
    }

    /// <summary>Throws with its input as the message.</summary>
    public sealed class Fail : TaskOrchestrator<string, string>
    {
        /// <inheritdoc/>
        public override Task<string> RunAsync(TaskOrchestrationContext context, string input) => throw new InvalidOperationException(input);
    }

    /// <summary>The input of <see cref="LoginRepeatedly"/>.</summary>
    public sealed record LoginsRequest(string UserKey, int Count, bool SignalFirst);

    /// <summary>
    /// Logs a user in <see cref="LoginsRequest.Count"/> times through the app's <see cref="GreeterEntity"/>, one call after
    /// another (optionally one signal first), and returns the last seen-count the entity reported.
    /// </summary>
    public sealed class LoginRepeatedly : TaskOrchestrator<LoginsRequest, int>
    {
        /// <inheritdoc/>
        public override async Task<int> RunAsync(TaskOrchestrationContext context, LoginsRequest input)
        {
            var id = new EntityInstanceId(nameof(GreeterEntity), input.UserKey);
            if (input.SignalFirst)
            {
                await context.Entities.SignalEntityAsync(id, nameof(GreeterEntity.Login), new LoginRequest("Ada", context.CurrentUtcDateTime));
            }

            int seen = 0;
            for (int i = 0; i < input.Count; i++)
            {
                LoginReply reply = await context.Entities.CallEntityAsync<LoginReply>(id, nameof(GreeterEntity.Login), new LoginRequest("Ada", context.CurrentUtcDateTime));
                seen = reply.SeenCount;
            }

            return seen;
        }
    }

    /// <summary>Throws with its input as the message.</summary>
    public sealed class ThrowingActivity : TaskActivity<string, string>
    {
        /// <inheritdoc/>
        public override Task<string> RunAsync(TaskActivityContext context, string input) => throw new InvalidOperationException(input);
    }

    /// <summary>Calls <see cref="ThrowingActivity"/> and returns what the caught failure says: "{ErrorType}|{ErrorMessage}".</summary>
    public sealed class CatchActivityFailure : TaskOrchestrator<string, string>
    {
        /// <inheritdoc/>
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            try
            {
                await context.CallActivityAsync<string>(nameof(ThrowingActivity), input);
                return "no failure";
            }
            catch (TaskFailedException e)
            {
                return $"{e.FailureDetails.ErrorType}|{e.FailureDetails.ErrorMessage}";
            }
        }
    }
}
