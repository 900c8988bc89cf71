namespace FunctionsBench.StateFun.Tests;

/// <summary>
/// Tests that load the machine (thousands of requests, 64 connections): they run alone, after the others, so
/// they neither starve the rest of the suite nor each other on a small CI machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackStressCollection
{
    public const string Name = "Loopback stress";
}
