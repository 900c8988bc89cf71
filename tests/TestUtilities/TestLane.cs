namespace FunctionsBench.Testing;

/// <summary>
/// The two test lanes. <c>./bench test</c> runs every test; <c>./bench test --fast</c> runs the tests that need no
/// Azurite and no child process, filtering out the classes marked <c>[Trait(TestLane.Trait, TestLane.Full)]</c>. A test of
/// the fast lane that starts Azurite or a child process fails and says which mark it lacks.
/// </summary>
public static class TestLane
{
    /// <summary>The trait's name.</summary>
    public const string Trait = "Lane";

    /// <summary>The trait's value on a class that needs Azurite or a child process: it runs in the full lane only.</summary>
    public const string Full = "Full";

    /// <summary>The environment variable <c>./bench test --fast</c> sets to <c>fast</c>.</summary>
    public const string Variable = "FUNCTIONSBENCH_TEST_LANE";

    /// <summary>True when this test process runs the fast lane.</summary>
    public static bool IsFast => string.Equals(Environment.GetEnvironmentVariable(Variable), "fast", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails a test of the fast lane that is about to start <paramref name="what"/>.</summary>
    /// <exception cref="InvalidOperationException">This process runs the fast lane.</exception>
    public static void RequireFull(string what)
    {
        if (IsFast)
        {
            throw new InvalidOperationException(
                $"This test starts {what}, which the fast lane does not allow: mark its class [Trait(TestLane.Trait, TestLane.Full)].");
        }
    }
}
