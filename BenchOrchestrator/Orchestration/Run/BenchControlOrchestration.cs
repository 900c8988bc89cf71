using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The benchmark's control orchestration: measures the floors, warms each scenario up, then runs every
/// (scenario, N, repetition) of the request as a unit orchestration of its own, one after another, and returns the
/// results document.
/// </summary>
/// <remarks>
/// A unit orchestration starts on an empty history, so no unit pays for the history of the ones before it; the
/// control orchestration's own history grows by a few rows per unit only.
/// </remarks>
public sealed class BenchControlOrchestration : TaskOrchestrator<BenchRun, ResultsDocument>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(BenchControlOrchestration))]
    public static Task<ResultsDocument> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new BenchControlOrchestration().RunAsync(context, context.GetInput<BenchRun>() ?? throw new InvalidOperationException("The control orchestration needs its input."));

    /// <inheritdoc/>
    public override async Task<ResultsDocument> RunAsync(TaskOrchestrationContext context, BenchRun run)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        DateTime startedAt = context.CurrentUtcDateTime;
        IReadOnlyList<BenchUnit> units = BenchPlan.Units(run.Settings);
        long total = BenchPlan.TotalInvocations(run.Settings);

        // Before the first unit's clock starts, so a unit's execution time never includes the floors.
        context.SetCustomStatus(new BenchProgress("floors", null, 0, 0, 0, units.Count, 0, total, null));
        BenchFloors floors = await MeasureFloorsAsync(context, run);

        foreach (BenchUnit warmUp in BenchPlan.WarmUps(run.Settings))
        {
            context.SetCustomStatus(new BenchProgress("warm-up", warmUp.Scenario, warmUp.Invocations, 0, 0, units.Count, 0, total, InstanceIds.Unit(run.RunId, warmUp)));
            await RunUnitAsync(context, new UnitInput(run, warmUp, floors));
        }

        var results = new List<ScenarioResult>(units.Count);
        long done = 0;
        for (int i = 0; i < units.Count; i++)
        {
            BenchUnit unit = units[i];
            context.SetCustomStatus(new BenchProgress("units", unit.Scenario, unit.Invocations, unit.Repetition, i + 1, units.Count, done, total, InstanceIds.Unit(run.RunId, unit)));
            results.Add(await RunUnitAsync(context, new UnitInput(run, unit, floors))
                ?? throw new InvalidOperationException($"Unit {i + 1} ({unit.Scenario}, N={unit.Invocations}) returned no result."));
            done += unit.Invocations;
        }

        context.SetCustomStatus(new BenchProgress("done", null, 0, 0, units.Count, units.Count, total, total, null));
        return new ResultsDocument(
            run.RunId, run.Host, run.StorageProvider, startedAt, context.CurrentUtcDateTime, run.Settings, results, ScenarioSummary.Of(results), floors,
            Storage: run.Storage, Environment: run.Environment,
            StateFun: run.Settings.Scenarios.Contains(Scenarios.StateFun) ? run.DescribeStateFun() : null);
    }

    private static Task<ScenarioResult?> RunUnitAsync(TaskOrchestrationContext context, UnitInput input)
        => context.CallSubOrchestratorAsync<ScenarioResult?>(
            nameof(BenchUnitOrchestration), input, new SubOrchestrationOptions { InstanceId = InstanceIds.Unit(input.Run.RunId, input.Unit) });

    /// <summary>
    /// Measures the storage and HTTP floors. The activity records a floor it cannot measure as an error; should the
    /// activity itself fail, the run still goes on, with the failure as the reason for both floors.
    /// </summary>
    private static async Task<BenchFloors> MeasureFloorsAsync(TaskOrchestrationContext context, BenchRun run)
    {
        try
        {
            return await context.CallActivityAsync<BenchFloors>(
                nameof(MeasureFloors), new MeasureFloorsInput(run.NoopUrl, run.Settings.UserId, run.Settings.UserName, run.HostKey));
        }
        catch (TaskFailedException e)
        {
            return BenchFloors.Unmeasured($"the {nameof(MeasureFloors)} activity failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}");
        }
    }
}
