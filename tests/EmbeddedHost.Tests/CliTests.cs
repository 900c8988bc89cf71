using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Commands;
using FunctionsBench.Embedded.Run;
using FunctionsBench.Hosting;
using Spectre.Console;

namespace FunctionsBench.Embedded.Tests;

/// <summary>The CLI as a user meets it: flags checked by the server's parser first, one-line errors, true help, report and compare.</summary>
public sealed class CliTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(new[] { "run", "--mode", "x" }, "bench run: --mode: 'mode' must be one of single, checkpointed")]
    [InlineData(new[] { "run", "--invocations", "0" }, "bench run: --invocations: each invocation count must be a whole number from 1 to 100000, not 0")]
    [InlineData(new[] { "run", "--scenarios", "df-activity,nope" }, "bench run: --scenarios: unknown scenario \"nope\"; the scenarios are df-activity, df-suborchestration, df-entity, statefun, cart-df")]
    [InlineData(new[] { "run", "--repetitions", "21" }, "bench run: --repetitions: 'repetitions' must be a whole number from 1 to 20")]
    [InlineData(new[] { "run", "--thesis", "--invocations", "10" }, "bench run: --thesis sets the scenarios, N and mode of Tables 5.3 and 5.4; leave out --scenarios, --invocations and --mode")]
    [InlineData(new[] { "run", "--hub", "a-b" }, "bench run: Task hub name 'a-b' must be 3 to 45 letters and digits, starting with a letter.")]
    [InlineData(new[] { "run", "--target", "ftp://x" }, "bench run: --target must be 'embedded' or an absolute http(s) URL, not 'ftp://x'")]
    [InlineData(new[] { "report", "/nonexistent/results" }, "bench report: /nonexistent/results is neither a results folder nor a results.json")]
    public async Task Command_BadInput_OneLineAndExitTwoBeforeAnythingStarts(string[] arguments, string line)
    {
        (int exitCode, string stdout, string stderr) = await RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Equal(line, stderr.TrimEnd());
        Assert.DoesNotContain("Azurite", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnreachableTarget_OneLineAndExitOne()
    {
        int port = FreePorts.Pick();

        (int exitCode, _, string stderr) = await RunAsync(["run", "--target", $"http://127.0.0.1:{port}", "--invocations", "5"]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"bench run: cannot reach http://127.0.0.1:{port}/: Connection refused (127.0.0.1:{port})", stderr.TrimEnd());
    }

    [Fact]
    public async Task RunHelp_UsageIsTheScriptsAndDefaultsAreTheParsers()
    {
        (int exitCode, string stdout, _) = await RunAsync(["run", "--help"]);
        BenchSettings defaults = BenchRequestParser.Defaults("http://x/");
        string flat = string.Join(' ', stdout.Split('\n').Select(l => l.Trim()));

        Assert.Equal(0, exitCode);
        Assert.Contains("./bench run [options]", stdout);
        Assert.Contains($"(default {defaults.CheckpointEvery})", flat);
        Assert.Contains($"(default {defaults.Warmup})", flat);
        Assert.Contains($"(default {defaults.Mode})", flat);
        Assert.Contains("default: a fresh hub per run", flat);
        Assert.All(stdout.Split('\n'), l => Assert.True(l.Length <= 100, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void Body_PerScenarioInvocationsAndThesisPreset_FlagsAddToThePreset()
    {
        var flags = new RequestFlags();
        var command = new Command("run");
        foreach (Option option in flags.All)
        {
            command.Options.Add(option);
        }

        JsonObject body = flags.Body(command.Parse(["--repetitions", "2", "--warmup", "0"]), ThesisPreset.Body());
        BenchSettings settings = flags.Validate(body, remoteTarget: false);

        Assert.Equal(2, settings.Repetitions);
        Assert.Equal(0, settings.Warmup);
        Assert.Equal(BenchModes.Single, settings.Mode);
        Assert.Equal([1000, 4000, 8000, 16000], settings.InvocationsOf(Scenarios.StateFun));
        Assert.Equal("{\"df-activity\":[1000,2000],\"statefun\":[5]}", RequestFlags.ParseInvocations("df-activity=1000,2000; statefun=5").ToJsonString());
    }

    [Fact]
    public async Task ReportAndCompare_TwoFolders_RerenderAndCompareWithoutAHost()
    {
        string root = Path.Combine(Path.GetTempPath(), "fb-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            string a = await WriteFolderAsync(root, "a", [10, 11, 9]), b = await WriteFolderAsync(root, "b", [20, 22, 18]);
            string page = Path.Combine(root, "compare.html");

            (int reportExit, string reportOut, string reportErr) = await RunAsync(["report", a]);
            (int compareExit, string compareOut, string compareErr) = await RunAsync(["compare", a, b, "--html", page]);

            Assert.True(reportExit == 0, reportErr);
            Assert.Contains("Durable Functions vs StateFun", reportOut);
            Assert.Contains("<h1>Durable Functions vs StateFun</h1>", await File.ReadAllTextAsync(Path.Combine(a, "report.html")));
            Assert.StartsWith("runId,host,", await File.ReadAllTextAsync(Path.Combine(a, "summary.csv")));
            Assert.True(compareExit == 0, compareErr);
            Assert.Contains("2.00 (", compareOut);
            Assert.Contains("<h2>Throughput over repetitions</h2>", await File.ReadAllTextAsync(page));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Headline_ThesisRowsAndRatios_FitOneHundredColumns()
    {
        var settings = new BenchSettings([Scenarios.DfSubOrchestration, Scenarios.StateFun], [16000], 1, BenchModes.Single, 100, 1, "http://x/", "1", "Joe");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfSubOrchestration, 16000, 1), T0, T0.AddSeconds(18023.4), [12345.6]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 16000, 1), T0, T0.AddSeconds(0.9), [0.1]),
        ];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));
        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 100;

        ConsoleHeadline.Print(console, document, ["a warning long enough to wrap: " + new string('x', 120)]);
        string[] lines = text.ToString().Split('\n');

        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 100, $"{line.Length} columns: {line}"));
        Assert.Contains(lines, l => l.Contains("df-suborchestration", StringComparison.Ordinal) && l.Contains("20026x", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("0.8→0.888*", StringComparison.Ordinal));
    }

    private static async Task<string> WriteFolderAsync(string root, string name, double[] eventsPerSecond)
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], eventsPerSecond.Length, BenchModes.Checkpointed, 5, 1, "http://x/", "1", "Joe");
        ScenarioResult[] results = [.. eventsPerSecond.Select((rate, i) => ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, i + 1), T0, T0.AddSeconds(40 / rate), [4.0 / rate]))];
        var document = new ResultsDocument(name, "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));
        EventRecord[] events = [.. results.SelectMany(r => Enumerable.Range(0, 10).Select(s => new EventRecord(Scenarios.DfActivity, 10, r.Repetition, s, T0, T0, (40.0 / eventsPerSecond[0]) + (s * 0.1))))];
        string folder = Path.Combine(root, name);
        await RunOutput.WriteAsync(folder, document, new Inspection(name), events, [], CancellationToken.None);
        Assert.Equal(document.RunId, JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "results.json"))).RootElement.GetProperty("runId").GetString());
        return folder;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments)
    {
        BenchCliResult run = await BenchCli.RunAsync(arguments);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }
}
