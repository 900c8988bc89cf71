using FunctionsBench.BenchOrchestrator.Warnings;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>What ran the benchmark: machine, runtime, component versions, commit, storage, the StateFun endpoint and the load.</summary>
internal static class EnvironmentSection
{
    public static string Build(ResultsDocument document, Inspection? inspection)
    {
        var rows = new List<(string, string)>();
        if (document.Environment is { } env)
        {
            rows.Add(("machine", I($"{env.ProcessorCount} cores, {E(env.CpuModel ?? "processor not known")}, {(env.MemoryBytes is long m ? I($"{m / (1024.0 * 1024 * 1024):0.#} GiB") : "memory not known")}")));
            rows.Add(("system", E($"{env.Os}; {env.DotNet}")));
            rows.Add(("components", E(string.Join(", ", env.Components.Select(c => $"{c.Key} {c.Value}")))));
            rows.Add(("commit", E(env.GitCommit ?? "not known")));
            rows.Add(("host.json", E(env.HostJsonPath ?? "not known")));
            if (env.Azurite is { } azurite)
            {
                rows.Add(("Azurite", E(azurite)));
            }
        }

        rows.Add(("storage", E(document.Storage?.Describe() ?? document.StorageProvider)));
        if (document.StateFun is { } stateFun)
        {
            rows.Add(("StateFun endpoint", E($"{stateFun.Url} ({stateFun.Kind}{(stateFun.Label is { } label ? $": {label}" : string.Empty)})")));
            rows.Add(("StateFun runtime", E(stateFun.Runtime)));
        }

        if (inspection?.Load is { } load)
        {
            rows.Add(("machine load", I($"{load.BusyCores:0.00} of {load.Cores} cores busy on average over {load.Seconds:0} s; the bench ({E(load.Scope)}) {load.BenchCores:0.00}, other processes {load.OtherCores:0.00}") +
                (load.OtherCores > MachineLoad.LoadedAboveCores ? " <b class=\"bad\">(loaded)</b>" : string.Empty) +
                I($"; steal time (held back by the hypervisor) {load.StolenCores:0.00}") +
                (load.StolenCores > MachineLoad.StolenAboveCores ? " <b class=\"bad\">(busy host)</b>" : string.Empty)));
        }

        var html = new StringBuilder("<h2>Environment</h2><table class=\"env\">");
        foreach ((string name, string value) in rows)
        {
            html.Append("<tr><th>").Append(name).Append("</th><td>").Append(value).Append("</td></tr>");
        }

        return html.Append("</table>").ToString();
    }
}
