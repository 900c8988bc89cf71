using FunctionsBench.GreeterFunctions;
using FunctionsBench.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Embedded.Tests;

/// <summary>Durable functions that exercise what the app's own functions do not: waiting, failing, custom status.</summary>
public static class TestFunctions
{
    /// <summary>The test functions, registered next to the app's: found from their triggers as the app's are.</summary>
    public static IReadOnlyList<DurableFunctionEntry> All { get; } = DurableCatalog.Discover(typeof(TestFunctions).Assembly);

    /// <summary>The event <see cref="WaitForApproval"/> waits for.</summary>
    public const string ApprovalEvent = "approve";

    /// <summary>Sets its custom status to "waiting", waits for <see cref="ApprovalEvent"/> and returns "approved: {payload}".</summary>
    public sealed class WaitForApproval : TaskOrchestrator<string, string>
    {
        /// <summary>Functions trigger.</summary>
        [Function(nameof(WaitForApproval))]
        public static Task<string> Trigger([OrchestrationTrigger] TaskOrchestrationContext context)
            => new WaitForApproval().RunAsync(context, context.GetInput<string>()!);

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
        /// <summary>Functions trigger.</summary>
        [Function(nameof(Fail))]
        public static Task<string> Trigger([OrchestrationTrigger] TaskOrchestrationContext context)
            => new Fail().RunAsync(context, context.GetInput<string>()!);

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
        /// <summary>Functions trigger.</summary>
        [Function(nameof(LoginRepeatedly))]
        public static Task<int> Trigger([OrchestrationTrigger] TaskOrchestrationContext context)
            => new LoginRepeatedly().RunAsync(context, context.GetInput<LoginsRequest>()!);

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
        /// <summary>Functions trigger.</summary>
        [Function(nameof(ThrowingActivity))]
        public static string Trigger([ActivityTrigger] string input) => throw new InvalidOperationException(input);

        /// <inheritdoc/>
        public override Task<string> RunAsync(TaskActivityContext context, string input) => throw new InvalidOperationException(input);
    }

    /// <summary>Calls <see cref="ThrowingActivity"/> and returns what the caught failure says: "{ErrorType}|{ErrorMessage}".</summary>
    public sealed class CatchActivityFailure : TaskOrchestrator<string, string>
    {
        /// <summary>Functions trigger.</summary>
        [Function(nameof(CatchActivityFailure))]
        public static Task<string> Trigger([OrchestrationTrigger] TaskOrchestrationContext context)
            => new CatchActivityFailure().RunAsync(context, context.GetInput<string>()!);

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
