namespace FunctionsBench.BenchOrchestrator.Cost;

/// <summary>One account's idle cost per day for one task hub: the worker's requests as measured, plus the scale controller's as documented.</summary>
/// <param name="Account">The storage account's key in the price file.</param>
/// <param name="WorkerDollarsPerDay">The worker's measured requests, scaled to a day and priced.</param>
/// <param name="ScaleControllerDollarsPerDay">The scale controller's reads per day, priced (Consumption and Premium plans only).</param>
/// <param name="Complete">Whether every category with requests was priced; when false the figures are lower bounds.</param>
/// <param name="Lines">How the figures are made.</param>
public sealed record IdleAccountCost(string Account, double WorkerDollarsPerDay, double ScaleControllerDollarsPerDay, bool Complete, IReadOnlyList<CostLine> Lines)
{
    /// <summary>Worker and scale controller together.</summary>
    public double DollarsPerDay => this.WorkerDollarsPerDay + this.ScaleControllerDollarsPerDay;
}

/// <summary>
/// What an idle task hub costs per day: the requests one worker sent over a measured interval with nothing to do,
/// scaled to 86,400 s, and the scale controller's reads added as documented.
/// </summary>
/// <param name="Seconds">The measured interval.</param>
/// <param name="Partitions">The task hub's control queues.</param>
/// <param name="WorkerRequests">The worker's requests in the interval by operation.</param>
/// <param name="ScaleControllerPerDay">The scale controller's requests per day by operation (the model below).</param>
/// <param name="Accounts">Per storage account of the price file.</param>
public sealed record IdleCost(
    double Seconds, int Partitions, IReadOnlyDictionary<string, long> WorkerRequests, IReadOnlyDictionary<string, double> ScaleControllerPerDay,
    IReadOnlyList<IdleAccountCost> Accounts)
{
    /// <summary>Seconds in a day.</summary>
    public const double Day = 86_400;

    /// <summary>
    /// The scale controller's requests per interval, as issue #391 of azure-functions-durable-extension reported them on a
    /// Consumption plan (2018-07-16, confirmed there as the scale controller): for each control queue and the work-item
    /// queue one PeekMessages and one GetQueueMetadata every 10 s, and three requests for the task hub's taskhub.json
    /// blob (two Get Blob Properties, one Get Blob). Durable Functions' billing page says the scale controller
    /// "periodically polls all task hub queues" on Consumption and Premium plans; it gives no interval.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ScaleControllerPerInterval(int partitions) => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["queue.other"] = 2.0 * (partitions + 1),
        ["blob.other"] = 2,
        ["blob.read"] = 1,
    };

    /// <summary>Prices <paramref name="requests"/> (by operation) that one idle worker sent over <paramref name="seconds"/>.</summary>
    public static IdleCost Of(PriceFile prices, double seconds, int partitions, IReadOnlyDictionary<string, long> requests)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        double interval = prices.ScaleControllerIntervalSeconds.Value!.Value;
        Dictionary<string, double> controller = ScaleControllerPerInterval(partitions).ToDictionary(p => p.Key, p => p.Value * Day / interval, StringComparer.Ordinal);
        Dictionary<string, double> workerPerDay = requests.ToDictionary(p => p.Key, p => p.Value * Day / seconds, StringComparer.Ordinal);
        var accounts = new List<IdleAccountCost>();
        foreach (StorageAccountPrices account in prices.Storage)
        {
            List<CostLine> worker = Lines(account, workerPerDay, prices.Currency, "worker");
            List<CostLine> scale = Lines(account, controller, prices.Currency, "scale controller");
            accounts.Add(new IdleAccountCost(
                account.Key, Math.Round(worker.Sum(l => l.Dollars ?? 0), 6), Math.Round(scale.Sum(l => l.Dollars ?? 0), 6),
                worker.Concat(scale).All(l => l.Dollars is not null), [.. worker, .. scale]));
        }

        return new IdleCost(seconds, partitions, requests, controller, accounts);
    }

    private static List<CostLine> Lines(StorageAccountPrices account, IReadOnlyDictionary<string, double> perDay, string currency, string who)
    {
        var lines = new List<CostLine>();
        foreach ((string category, double count) in BillingCategories.Sum(perDay, account.Kind).Where(p => p.Value > 0))
        {
            Price price = account.PerTenThousand[category];
            lines.Add(new CostLine(
                $"{who}: {category} ({account.Key})",
                price.Value is { } v ? count / 10_000 * v : null,
                price.Value is { } w
                    ? $"{count.ToString("#,0", CultureInfo.InvariantCulture)} per day / 10,000 x {CostOption.Money(w, currency)} per 10,000"
                    : $"{count.ToString("#,0", CultureInfo.InvariantCulture)} per day x {Price.NotPriced}"));
        }

        return lines;
    }
}
