using System.Text.Json;

namespace FunctionsBench.BenchOrchestrator.Cost;

/// <summary>
/// One price of a price file: its value (null when no source could be found: shown as "not priced", never estimated),
/// its unit, and where and when it was read.
/// </summary>
/// <param name="Value">The price in the file's currency per <paramref name="Unit"/>; null when not priced.</param>
/// <param name="Unit">What the value is per (<c>10,000 operations</c>, <c>million executions</c>, <c>GB-s</c>, <c>MB</c>, ...).</param>
/// <param name="Source">A URL or a document's title and version; required for a value.</param>
/// <param name="Date">When the source was read or published (yyyy-MM-dd); required for a value.</param>
/// <param name="Note">Why a price is null, or how the source gives it.</param>
public sealed record Price(double? Value, string Unit, string? Source, string? Date, string? Note)
{
    /// <summary>Whether the price has a value.</summary>
    public bool IsPriced => this.Value is not null;

    /// <summary>The value with its unit, or <see cref="NotPriced"/> when it has none.</summary>
    public string Describe(string currency)
        => this.Value is { } v ? $"{v.ToString("0.########", CultureInfo.InvariantCulture)} {currency} per {this.Unit}" : $"{NotPriced} ({this.Unit})";

    /// <summary>What a missing price is shown as.</summary>
    public const string NotPriced = "not priced";
}

/// <summary>One storage account's transaction prices per 10,000 operations, by Azure's billing category.</summary>
/// <param name="Key">The file's key (<c>gpv1-lrs</c>, <c>gpv2-lrs</c>).</param>
/// <param name="Label">How tables name it.</param>
/// <param name="Kind"><c>v1</c> or <c>v2</c>: which column of Azure's "map REST operations to a price" table applies.</param>
/// <param name="Region">The region the prices were read for.</param>
/// <param name="PerTenThousand">Price per 10,000 operations of each of <see cref="BillingCategories.All"/>.</param>
public sealed record StorageAccountPrices(string Key, string Label, string Kind, string Region, IReadOnlyDictionary<string, Price> PerTenThousand);

/// <summary>An Azure Functions hosting plan's prices and the billing rules the cost needs.</summary>
/// <param name="Key">The file's key (<c>consumption</c>, <c>flexConsumption</c>).</param>
/// <param name="Label">How tables name it.</param>
/// <param name="Region">The region the prices were read for.</param>
/// <param name="PerMillionExecutions">Price per million executions.</param>
/// <param name="PerGbSecond">Price per GB-s of execution time.</param>
/// <param name="FreeExecutionsPerMonth">The monthly free grant of executions (per subscription; not taken off the figures).</param>
/// <param name="FreeGbSecondsPerMonth">The monthly free grant of GB-s (per subscription; not taken off the figures).</param>
/// <param name="MemoryMb">The memory billed while a function executes: an assumption (Consumption) or the instance size (Flex).</param>
/// <param name="MinimumMs">The least time one execution is billed for; 0 when the plan bills none (or none is sourced).</param>
public sealed record FunctionsPlanPrices(
    string Key, string Label, string Region, Price PerMillionExecutions, Price PerGbSecond, Price FreeExecutionsPerMonth, Price FreeGbSecondsPerMonth,
    Price MemoryMb, Price MinimumMs);

/// <summary>
/// A price file (<c>prices/*.json</c>): the storage transaction prices of general-purpose v1 and v2 accounts, the Azure
/// Functions plans, and the Durable Task Scheduler's price per action, each with its source and date. A price no source
/// gave is null and every figure that needs it says "not priced".
/// </summary>
/// <param name="Id">The file's identity, kept with every cost computed from it.</param>
/// <param name="Currency">The currency of every price (ISO 4217).</param>
/// <param name="Path">Where it was read from.</param>
/// <param name="Storage">The storage accounts, in the order tables show them.</param>
/// <param name="Plans">The Functions plans, in the order tables show them.</param>
/// <param name="SchedulerPerMillionActions">The Durable Task Scheduler (consumption SKU) per million actions.</param>
/// <param name="ScaleControllerIntervalSeconds">How often the scale controller reads every task hub queue (Consumption and Premium), with its source.</param>
public sealed record PriceFile(
    string Id, string Currency, string Path, IReadOnlyList<StorageAccountPrices> Storage, IReadOnlyList<FunctionsPlanPrices> Plans, Price SchedulerPerMillionActions,
    Price ScaleControllerIntervalSeconds)
{
    /// <summary>The price file in the repository that figures use unless told otherwise.</summary>
    public const string DefaultFileName = "azure-2026-12.json";

    /// <summary>The folder of price files, beside the repository's host.json.</summary>
    public const string Folder = "prices";

    /// <summary>The storage account of <paramref name="kind"/> (<c>v1</c>, <c>v2</c>).</summary>
    public StorageAccountPrices? Account(string kind) => this.Storage.FirstOrDefault(s => s.Kind == kind);

    /// <summary>The plan of <paramref name="key"/>.</summary>
    public FunctionsPlanPrices? Plan(string key) => this.Plans.FirstOrDefault(p => p.Key == key);

    /// <summary>Reads the price file at <paramref name="path"/>; anything wrong with it is a <see cref="PriceFileException"/> of one line.</summary>
    public static PriceFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new PriceFileException($"price file '{path}' does not exist");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a price file's text; <paramref name="path"/> names it in errors.</summary>
    public static PriceFile Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new PriceFileException($"price file '{path}' is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var reader = new Reader(path);
            JsonElement root = reader.Object(document.RootElement, "(root)");
            string id = reader.String(root, "id", "(root)");
            string currency = reader.String(root, "currency", "(root)");
            var storage = new List<StorageAccountPrices>();
            foreach (JsonProperty account in reader.Object(reader.Required(root, "storageAccounts", "(root)"), "storageAccounts").EnumerateObject())
            {
                string where = $"storageAccounts.{account.Name}";
                JsonElement a = reader.Object(account.Value, where);
                string kind = reader.String(a, "kind", where);
                if (kind is not ("v1" or "v2"))
                {
                    throw reader.Error($"{where}.kind must be \"v1\" or \"v2\", not \"{kind}\"");
                }

                JsonElement prices = reader.Object(reader.Required(a, "perTenThousand", where), where + ".perTenThousand");
                var perCategory = new Dictionary<string, Price>(StringComparer.Ordinal);
                foreach (string category in BillingCategories.All)
                {
                    perCategory[category] = reader.Price(reader.Required(prices, category, where + ".perTenThousand"), $"{where}.perTenThousand.{category}");
                }

                foreach (JsonProperty extra in prices.EnumerateObject().Where(p => !BillingCategories.All.Contains(p.Name)))
                {
                    throw reader.Error($"{where}.perTenThousand has an unknown category \"{extra.Name}\" (known: {string.Join(", ", BillingCategories.All)})");
                }

                storage.Add(new StorageAccountPrices(account.Name, reader.String(a, "label", where), kind, reader.String(a, "region", where), perCategory));
            }

            if (!storage.Any(s => s.Kind == "v1") || !storage.Any(s => s.Kind == "v2"))
            {
                throw reader.Error("storageAccounts needs one account of kind \"v1\" and one of kind \"v2\"");
            }

            var plans = new List<FunctionsPlanPrices>();
            foreach (JsonProperty plan in reader.Object(reader.Required(root, "functionsPlans", "(root)"), "functionsPlans").EnumerateObject())
            {
                string where = $"functionsPlans.{plan.Name}";
                JsonElement p = reader.Object(plan.Value, where);
                Price Field(string name) => reader.Price(reader.Required(p, name, where), $"{where}.{name}");
                plans.Add(new FunctionsPlanPrices(
                    plan.Name, reader.String(p, "label", where), reader.String(p, "region", where), Field("perMillionExecutions"), Field("perGbSecond"),
                    Field("freeExecutionsPerMonth"), Field("freeGbSecondsPerMonth"), Field("memoryMb"), Field("minimumMs")));
            }

            foreach (string required in new[] { CostModel.Consumption, CostModel.FlexConsumption })
            {
                if (!plans.Any(p => p.Key == required))
                {
                    throw reader.Error($"functionsPlans needs \"{required}\"");
                }
            }

            if (plans.FirstOrDefault(p => p.MemoryMb.Value is null or <= 0) is { } noMemory)
            {
                throw reader.Error($"functionsPlans.{noMemory.Key}.memoryMb needs a positive value (the memory the GB-s are computed with)");
            }

            if (plans.FirstOrDefault(p => p.MinimumMs.Value is null) is { } noMinimum)
            {
                throw reader.Error($"functionsPlans.{noMinimum.Key}.minimumMs needs a value (0 when none is billed)");
            }

            JsonElement scheduler = reader.Object(reader.Required(root, "durableTaskScheduler", "(root)"), "durableTaskScheduler");
            Price perAction = reader.Price(reader.Required(scheduler, "perMillionActions", "durableTaskScheduler"), "durableTaskScheduler.perMillionActions");
            JsonElement idle = reader.Object(reader.Required(root, "scaleController", "(root)"), "scaleController");
            Price interval = reader.Price(reader.Required(idle, "intervalSeconds", "scaleController"), "scaleController.intervalSeconds");
            if (interval.Value is null or <= 0)
            {
                throw reader.Error("scaleController.intervalSeconds needs a positive value");
            }

            return new PriceFile(id, currency, path, storage, plans, perAction, interval);
        }
    }

    private sealed class Reader(string path)
    {
        public PriceFileException Error(string message) => new($"price file '{path}': {message}");

        public JsonElement Object(JsonElement element, string where)
            => element.ValueKind == JsonValueKind.Object ? element : throw this.Error($"{where} must be an object");

        public JsonElement Required(JsonElement parent, string name, string where)
            => parent.TryGetProperty(name, out JsonElement value) ? value : throw this.Error($"{where} has no \"{name}\"");

        public string String(JsonElement parent, string name, string where)
            => this.Required(parent, name, where) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text
                ? text : throw this.Error($"{where}.{name} must be a non-empty string");

        public Price Price(JsonElement element, string where)
        {
            this.Object(element, where);
            JsonElement value = this.Required(element, "value", where);
            double? number = value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Number => value.GetDouble(),
                _ => throw this.Error($"{where}.value must be a number or null (not priced)"),
            };
            if (number is < 0 || number is { } n && !double.IsFinite(n))
            {
                throw this.Error($"{where}.value must not be negative");
            }

            string unit = this.String(element, "unit", where);
            string? source = Optional(element, "source", where), date = Optional(element, "date", where), note = Optional(element, "note", where);
            if (number is not null && (source is null || date is null))
            {
                throw this.Error($"{where} has a value but no source and date: every price needs both (make it null, \"not priced\", if none can be given)");
            }

            if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                throw this.Error($"{where}.date must be yyyy-MM-dd, not \"{date}\"");
            }

            if (number is null && note is null)
            {
                throw this.Error($"{where} is null (not priced) without a note saying why");
            }

            return new Price(number, unit, source, date, note);

            string? Optional(JsonElement parent, string name, string at) => parent.TryGetProperty(name, out JsonElement v)
                ? v.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
                    _ => throw this.Error($"{at}.{name} must be a string"),
                }
                : null;
        }
    }
}

/// <summary>A price file that cannot be used: the message is one line naming the file and what is wrong.</summary>
public sealed class PriceFileException(string message) : Exception(message);
