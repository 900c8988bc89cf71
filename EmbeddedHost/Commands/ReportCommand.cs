using System.CommandLine;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// <c>report DIR</c>: re-renders a results folder's report.html, results.csv and summary.csv from its results.json,
/// inspection.json and events.csv (so folders written by older versions get today's report), and prints its tables.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A results folder (or its results.json)" };
        var verbose = new Option<bool>("--verbose") { Description = "On an error, print the whole exception" };
        var command = new Command("report", "Re-render report.html, results.csv and summary.csv of a results folder and print its tables") { folder, verbose };
        command.SetAction((result, cancellationToken) => CliErrors.HandleAsync("report", result.GetValue(verbose), async () =>
        {
            RunFolder run = await RunOutput.LoadAsync(result.GetRequiredValue(folder), cancellationToken);
            IReadOnlyList<string> warnings = RunSession.Warnings(run.Document, run.Inspection, run.Folder);
            try
            {
                await RunOutput.WriteDerivedAsync(run.Folder, run.Document, run.Inspection, run.Events, warnings, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputPathException($"{run.Folder} cannot be written: {e.Message}", exitCode: 1);
            }

            var console = RunSession.Console();
            ConsoleTables.PrintTables(console, run.Document, run.Inspection, run.Events);
            ConsoleHeadline.Print(console, run.Document, warnings);
            Console.Out.WriteLine($"Wrote report.html, results.csv, summary.csv to {Path.GetFullPath(run.Folder)}");
            return 0;
        }));
        return command;
    }
}
