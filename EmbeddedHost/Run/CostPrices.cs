using FunctionsBench.BenchOrchestrator.Cost;
using FunctionsBench.Embedded.Commands;

namespace FunctionsBench.Embedded.Run;

/// <summary>A price file as the commands use it: the file and its identity.</summary>
/// <param name="File">The prices.</param>
/// <param name="Identity">The id, path and hash every cost computed from it carries.</param>
public sealed record CostPrices(PriceFile File, PriceIdentity Identity)
{
    /// <summary>The repository's price file (<c>prices/azure-2026-12.json</c> beside FunctionsBench.sln).</summary>
    public static string FindDefault()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, PriceFile.Folder, PriceFile.DefaultFileName);
            if (System.IO.File.Exists(candidate) && System.IO.File.Exists(Path.Combine(directory.FullName, "FunctionsBench.sln")))
            {
                return candidate;
            }
        }

        throw new CliException($"no {PriceFile.Folder}/{PriceFile.DefaultFileName} beside FunctionsBench.sln above {AppContext.BaseDirectory}; name one with --prices");
    }

    /// <summary>Reads <paramref name="path"/>, or the repository's price file; a bad file is a <see cref="CliException"/> of one line.</summary>
    public static CostPrices Load(string? path)
    {
        string file = path ?? FindDefault();
        try
        {
            string text = System.IO.File.Exists(file) ? System.IO.File.ReadAllText(file) : throw new PriceFileException($"price file '{file}' does not exist");
            PriceFile prices = PriceFile.Parse(text, file);
            return new CostPrices(prices, PriceIdentity.Of(prices, text));
        }
        catch (PriceFileException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>
    /// <paramref name="inspection"/> with its cost computed from its execution and storage counts and these prices; as it
    /// is when it has no execution counts (a Functions app's run, or a folder older than the counts).
    /// </summary>
    public Inspection? Price(Inspection? inspection)
        => inspection?.Executions is { Count: > 0 } executions
            ? inspection with { Cost = CostModel.Of(this.File, this.Identity, executions, inspection.StorageRequests) }
            : inspection;
}
