using System.Text.Json.Serialization;

namespace FunctionsBench.Hosting;

/// <summary>
/// The one JSON shape of the project: durable payloads on both hosts, the HTTP API and the files the CLI writes.
/// camelCase, so the results document reads the same whichever host produced it.
/// </summary>
public static class BenchJson
{
    /// <summary>Options shared by the Durable Task data converter of both hosts and every HTTP response.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>The same options, indented, for files people read (results.json).</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
