namespace FunctionsBench.BenchOrchestrator;

/// <summary>One named check of a unit's final state (e.g. "the greeter entity saw N logins", "no stock below zero").</summary>
/// <param name="Name">A short stable name for the invariant.</param>
/// <param name="Holds">Whether it held.</param>
/// <param name="Detail">What was found, with the numbers (the error message when it does not hold).</param>
public sealed record InvariantResult(string Name, bool Holds, string Detail)
{
    /// <summary>Fails loudly when any of <paramref name="results"/> does not hold: one message naming every broken invariant.</summary>
    public static void ThrowIfBroken(IReadOnlyList<InvariantResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        InvariantResult[] broken = [.. results.Where(r => !r.Holds)];
        if (broken.Length > 0)
        {
            throw new InvalidOperationException(string.Join(" ", broken.Select(r => r.Detail)));
        }
    }
}
