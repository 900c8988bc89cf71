namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// host.json as the embedded host applies it: the <c>extensions</c> section becomes the WebJobs configuration the Durable
/// Functions extension binds its options from (the Functions host does the same with its <c>AzureFunctionsJobHost</c>
/// section), and <c>logging.logLevel</c> becomes log filters. App settings named <c>AzureFunctionsJobHost__...</c>
/// override host.json keys on both hosts.
/// </summary>
public sealed class HostJsonSettings
{
    /// <summary>The configuration section WebJobs extensions read their options from.</summary>
    public const string WebJobsSection = "AzureWebJobs";

    /// <summary>The Functions host's section for host.json keys (app settings <c>AzureFunctionsJobHost__...</c>).</summary>
    public const string FunctionsHostSection = "AzureFunctionsJobHost";

    /// <summary>The durable task settings below <see cref="WebJobsSection"/>.</summary>
    public const string DurableTaskPath = WebJobsSection + ":extensions:durableTask";

    private HostJsonSettings(string path, IReadOnlyDictionary<string, string?> extensionSettings, IReadOnlyList<(string Category, LogLevel Level)> logLevels)
    {
        this.Path = path;
        this.ExtensionSettings = extensionSettings;
        this.LogLevels = logLevels;
    }

    /// <summary>The file these settings came from.</summary>
    public string Path { get; }

    /// <summary>Every key of host.json's <c>extensions</c> section, under <see cref="WebJobsSection"/>.</summary>
    public IReadOnlyDictionary<string, string?> ExtensionSettings { get; }

    /// <summary><c>logging.logLevel</c>: category and level; the category <c>default</c> is the minimum level.</summary>
    public IReadOnlyList<(string Category, LogLevel Level)> LogLevels { get; }

    /// <summary>The repository's host.json: the first one in the application folder or above it.</summary>
    public static string FindDefault()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = System.IO.Path.Combine(directory.FullName, "host.json");
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(directory.FullName, "FunctionsBench.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No host.json beside FunctionsBench.sln above {AppContext.BaseDirectory}; name one with --host-json.");
    }

    /// <summary>Reads <paramref name="path"/>; a file that is missing or not valid JSON is an error that names it.</summary>
    public static HostJsonSettings Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"host.json file '{path}' does not exist.", full);
        }

        IConfigurationRoot json;
        try
        {
            json = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"'{path}' is not a valid host.json: {e.Message}", e);
        }

        var extensions = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in json.GetSection("extensions").AsEnumerable(makePathsRelative: true))
        {
            if (pair.Value is not null)
            {
                extensions[$"{WebJobsSection}:extensions:{pair.Key}"] = pair.Value;
            }
        }

        var levels = new List<(string, LogLevel)>();
        foreach (IConfigurationSection level in json.GetSection("logging:logLevel").GetChildren())
        {
            if (!Enum.TryParse(level.Value, ignoreCase: true, out LogLevel parsed))
            {
                throw new InvalidDataException($"'{path}': logging.logLevel.{level.Key} is '{level.Value}', not a log level (Trace, Debug, Information, Warning, Error, Critical, None).");
            }

            levels.Add((level.Key, parsed));
        }

        return new HostJsonSettings(full, extensions, levels);
    }

    /// <summary>
    /// The app settings that override host.json keys (<c>AzureFunctionsJobHost:extensions:...</c>, from
    /// <c>AzureFunctionsJobHost__extensions__...</c> environment variables), as <see cref="WebJobsSection"/> keys.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Overrides(IConfiguration appSettings)
    {
        ArgumentNullException.ThrowIfNull(appSettings);
        return appSettings.GetSection(FunctionsHostSection + ":extensions").AsEnumerable(makePathsRelative: true)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => $"{WebJobsSection}:extensions:{pair.Key}", pair => pair.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Applies <see cref="LogLevels"/> to <paramref name="logging"/>.</summary>
    public void ApplyLogLevels(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        foreach ((string category, LogLevel level) in this.LogLevels)
        {
            if (string.Equals(category, "default", StringComparison.OrdinalIgnoreCase))
            {
                logging.SetMinimumLevel(level);
            }
            else
            {
                logging.AddFilter(category, level);
            }
        }
    }
}
