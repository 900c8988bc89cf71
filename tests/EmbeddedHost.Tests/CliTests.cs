using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Commands;
using FunctionsBench.Embedded.Run;
using FunctionsBench.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Spectre.Console;

namespace FunctionsBench.Embedded.Tests;

/// <summary>The CLI as a user meets it: flags checked by the server's parser first, one-line errors, true help, report and compare.</summary>
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class CliTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(new[] { "run", "--mode", "x" }, "bench run: --mode must be one of single, checkpointed (see ./bench run --help)")]
    [InlineData(new[] { "run", "--invocations", "0" }, "bench run: --invocations: each invocation count must be a whole number from 1 to 100000, not 0 (see ./bench run --help)")]
    [InlineData(new[] { "run", "--scenarios", "df-activity,nope" }, "bench run: --scenarios: unknown scenario \"nope\"; the scenarios are df-activity, df-suborchestration, df-entity, statefun, cart-df, cart-statefun (see ./bench run --help)")]
    [InlineData(new[] { "run", "--repetitions", "21" }, "bench run: --repetitions must be a whole number from 1 to 20 (see ./bench run --help)")]
    [InlineData(new[] { "run", "--thesis", "--invocations", "10" }, "bench run: --thesis sets the scenarios, N and mode of Tables 5.3 and 5.4; leave out --scenarios, --invocations and --mode (see ./bench run --help)")]
    [InlineData(new[] { "run", "--hub", "a-b" }, "bench run: Task hub name 'a-b' must be 3 to 45 letters and digits, starting with a letter (see ./bench run --help)")]
    [InlineData(new[] { "run", "--target", "ftp://x" }, "bench run: --target must be 'embedded' or an absolute http(s) URL, not 'ftp://x' (see ./bench run --help)")]
    [InlineData(new[] { "run", "--bogus" }, "bench run: Unrecognized command or argument '--bogus' (see ./bench run --help)")]
    [InlineData(new[] { "run", "--azurite", "disk2" }, "bench run: --azurite: Argument 'disk2' not recognized. Must be one of: 'disk' 'memory' (see ./bench run --help)")]
    [InlineData(new[] { "run", "--target", "http://127.0.0.1:9", "--partitions", "4", "--keep-hub" }, "bench run: --partitions, --keep-hub set up the embedded host and do not apply to --target URL: the app's host.json, storage and task hub are its own (see ./bench run --help)")]
    [InlineData(new[] { "run", "--code", "k" }, "bench run: --code goes with --target URL; the embedded host of ./bench run checks no keys (see ./bench run --help)")]
    [InlineData(new[] { "run", "--out", "/proc/nonexistent/results" }, "bench run: --out /proc/nonexistent/results cannot be written: Could not find file '/proc/nonexistent' (see ./bench run --help)")]
    [InlineData(new[] { "report", "/nonexistent/results" }, "bench report: /nonexistent/results is neither a results folder nor a results.json (see ./bench report --help)")]
    [InlineData(new[] { "compare", "a", "b", "--html", "/nonexistent/folder/compare.html" }, "bench compare: --html /nonexistent/folder/compare.html: the folder /nonexistent/folder does not exist (see ./bench compare --help)")]
    [InlineData(new[] { "frobnicate" }, "bench: Unrecognized command or argument 'frobnicate' (see ./bench --help)")]
    public async Task Command_BadInput_OneLineAndExitTwoBeforeAnythingStarts(string[] arguments, string line)
    {
        (int exitCode, string stdout, string stderr) = await RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Equal(line, stderr.TrimEnd());
        Assert.DoesNotContain("Azurite", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OutIsAFileOrHoldsARun_RefusedBeforeAnythingStartsAndNothingChanges()
    {
        using var scratch = new ScratchFolder("fb-out", create: true);
        string file = scratch.File("a-file"), earlier = scratch.File("earlier");
        await File.WriteAllTextAsync(file, "kept");
        Directory.CreateDirectory(earlier);
        await File.WriteAllTextAsync(Path.Combine(earlier, "results.json"), "{\"runId\":\"earlier\"}");

        (int fileExit, _, string fileErr) = await RunAsync(["run", "--out", file, "--invocations", "5"]);
        (int runExit, _, string runErr) = await RunAsync(["run", "--out", earlier, "--invocations", "5"]);

        Assert.Equal(2, fileExit);
        Assert.Equal($"bench run: --out {file} is a file; name a folder for the results (see ./bench run --help)", fileErr.TrimEnd());
        Assert.Equal(2, runExit);
        Assert.Equal($"bench run: --out {earlier} already holds a run (results.json); name another folder, or add --force to overwrite it (see ./bench run --help)", runErr.TrimEnd());
        Assert.Equal("kept", await File.ReadAllTextAsync(file));
        Assert.Equal("{\"runId\":\"earlier\"}", await File.ReadAllTextAsync(Path.Combine(earlier, "results.json")));
    }

    [Fact]
    public async Task Run_RefusedAfterOutWasNamed_LeavesNoFolderBehind()
    {
        using var scratch = new ScratchFolder("fb-out", create: true);
        string folder = scratch.File("new");

        (int exitCode, _, string stderr) = await RunAsync(["run", "--out", folder, "--target", "http://127.0.0.1:9", "--azurite", "memory"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--azurite", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void OutputFolder_Claim_CreatesAWritableFolderAndReleasesItOnlyWhileEmpty()
    {
        using var scratch = new ScratchFolder("fb-out", create: true);
        string unused = scratch.File(Path.Combine("a", "b")), used = scratch.File("used");

        OutputFolder.Claim(unused, "--out", overwrite: false).ReleaseIfUnused();
        OutputFolder claimed = OutputFolder.Claim(used, "--out", overwrite: false);
        File.WriteAllText(Path.Combine(used, "results.json"), "{}");
        claimed.ReleaseIfUnused();

        Assert.False(Directory.Exists(unused));
        Assert.True(File.Exists(Path.Combine(used, "results.json")));
        Assert.Throws<OutputPathException>(() => OutputFolder.Claim(used, "--out", overwrite: false));
        Assert.False(OutputFolder.Claim(used, "--out", overwrite: true).Created);
        Assert.Equal(["results.json"], Directory.GetFiles(used).Select(Path.GetFileName));
        Assert.False(Directory.Exists(scratch.File("a")));
    }

    [Fact]
    public void WithoutKey_StatusUri_DropsTheSystemKeyAndKeepsTheRest()
    {
        var uri = new Uri("http://localhost:7071/runtime/webhooks/durabletask/instances/abc?taskHub=FunctionsBench&connection=Storage&code=SECRETKEY==");

        string printed = BenchApiClient.WithoutKey(uri);

        Assert.Equal("http://localhost:7071/runtime/webhooks/durabletask/instances/abc?taskHub=FunctionsBench&connection=Storage", printed);
    }

    [Fact]
    public async Task BenchApiClient_AppThatChecksKeys_SaysWhichKeyIsMissing()
    {
        // As the Functions host with keys checked: /api takes a function key, the status URI the extension's system key.
        await using LoopbackServer app = await LoopbackServer.StartAsync(web => ((IApplicationBuilder)web).Run(async http =>
        {
            string? code = http.Request.Query["code"];
            if (http.Request.Method == "POST")
            {
                http.Response.StatusCode = code == "function-key" ? 202 : 401;
                if (code == "function-key")
                {
                    await http.Response.WriteAsync($"{{\"id\":\"r1\",\"statusQueryGetUri\":\"http://{http.Request.Host}/runtime/webhooks/durabletask/instances/r1?taskHub=h\"}}");
                }

                return;
            }

            http.Response.StatusCode = code == "system-key" ? 200 : 403;
            await http.Response.WriteAsync(code == "system-key" ? "{\"runtimeStatus\":\"Running\"}" : string.Empty);
        }));
        using var http = new HttpClient();
        JsonElement body = JsonDocument.Parse("{}").RootElement;

        var noKey = await Assert.ThrowsAsync<BenchApiException>(() => new BenchApiClient(http, app.BaseAddress, null).StartAsync(body, CancellationToken.None));
        (_, Uri withoutSystemKey) = await new BenchApiClient(http, app.BaseAddress, "function-key").StartAsync(body, CancellationToken.None);
        var noSystemKey = await Assert.ThrowsAsync<BenchApiException>(() => new BenchApiClient(http, app.BaseAddress, "function-key").GetStatusAsync(withoutSystemKey, CancellationToken.None));
        var both = new BenchApiClient(http, app.BaseAddress, "function-key", "system-key");
        (_, Uri statusUri) = await both.StartAsync(body, CancellationToken.None);

        Assert.Equal($"POST /api/bench answered 401: {app.BaseAddress} checks keys; give a function key of the app with --code", noKey.Message);
        Assert.Contains("give it with --system-key", noSystemKey.Message, StringComparison.Ordinal);
        Assert.Equal("Running", (await both.GetStatusAsync(statusUri, CancellationToken.None)).RuntimeStatus);
        Assert.EndsWith("?taskHub=h&code=system-key", statusUri.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("system-key", BenchApiClient.WithoutKey(statusUri), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:31001/devstoreaccount1", "BlobEndpoint=http://127.0.0.1:31000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:31001/devstoreaccount1;TableEndpoint=http://127.0.0.1:31002/devstoreaccount1")]
    [InlineData("http://127.0.0.1:10001/devstoreaccount1/", "UseDevelopmentStorage=true")]
    [InlineData("https://myaccount.queue.core.windows.net/", null)]
    [InlineData("http://10.0.0.5:10001/devstoreaccount1", null)]
    public void AzuriteConnectionFor_QueueEndpoint_OnlyALocalAzuriteGetsAConnection(string endpoint, string? expected)
    {
        string? connection = AppStorage.AzuriteConnectionFor(endpoint);

        if (expected is null)
        {
            Assert.Null(connection);
        }
        else
        {
            Assert.EndsWith(expected, connection);
        }
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
