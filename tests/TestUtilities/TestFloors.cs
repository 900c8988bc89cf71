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

    /// <summary>
    /// <see cref="Short"/> and a 0.2 s floor beside each unit (the default is 2 s), for end-to-end runs that check the
    /// units' records rather than their efficiency: a run of 16 units saves about 29 s.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ShortUnitFloors = new Dictionary<string, string>(Short)
    {
        ["Bench__Floors__UnitSeconds"] = "0.2",
    };

    /// <summary>Sets <see cref="Short"/> in this process's environment, for the hosts a test starts in process.</summary>
    public static void SetInThisProcess() => SetInThisProcess(Short);

    /// <summary>Sets <paramref name="floors"/> in this process's environment, for the hosts a test starts in process.</summary>
    public static void SetInThisProcess(IReadOnlyDictionary<string, string> floors)
    {
        ArgumentNullException.ThrowIfNull(floors);
        foreach ((string key, string value) in floors)
        {
            Environment.SetEnvironmentVariable(key, value);
        }
    }
}
