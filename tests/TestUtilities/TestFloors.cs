namespace FunctionsBench.Testing;

/// <summary>The floors' settings for test runs: long enough to measure, short enough for a test; they are not what the tests check.</summary>
public static class TestFloors
{
    /// <summary>As environment variables: in-process hosts read them from the environment, and child processes inherit them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Short = new Dictionary<string, string>
    {
        ["Bench__Floors__StorageWarmupSeconds"] = "0",
        ["Bench__Floors__StorageSeconds"] = "0.3",
        ["Bench__Floors__HttpWarmupSeconds"] = "0",
        ["Bench__Floors__HttpSeconds"] = "0.2",
        ["Bench__Floors__JitQuietSeconds"] = "0.5",
    };

    /// <summary>Sets <see cref="Short"/> in this process's environment, for the hosts a test starts in process.</summary>
    public static void SetInThisProcess()
    {
        foreach ((string key, string value) in Short)
        {
            Environment.SetEnvironmentVariable(key, value);
        }
    }
}
