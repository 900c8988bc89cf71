namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>
/// The floors of a run (<c>floors</c> in the results document): the fastest one sequential step of each kind can go on
/// this machine and storage account, measured at the start of the run. A floor that could not be measured is null and
/// its <c>…Error</c> says why; the efficiencies that need it are then null too.
/// </summary>
/// <param name="Storage">The storage floor, or null.</param>
/// <param name="StorageError">Why <paramref name="Storage"/> is null; null when it was measured.</param>
/// <param name="Http">The HTTP floor, or null.</param>
/// <param name="HttpError">Why <paramref name="Http"/> is null; null when it was measured.</param>
public sealed record BenchFloors(
    StorageFloor? Storage, string? StorageError, HttpFloor? Http, string? HttpError)
{
    /// <summary>Floors that could not be measured at all, both for the same reason.</summary>
    public static BenchFloors Unmeasured(string reason) => new(null, reason, null, reason);
}

/// <summary>
/// The storage floor: the storage operations one sequential step of the Azure Storage provider needs at minimum
/// (control-queue receive, a History batch insert of 4 rows, an Instances upsert, a work-item send, the control delete,
/// the work-item receive, a control send, the work-item delete), done one step after another on scratch queues and a
/// scratch table of the task hub's storage account.
/// </summary>
/// <param name="StepsPerSecond">Measured steps / measured seconds.</param>
/// <param name="MsPerStep">Time of one step.</param>
/// <param name="Steps">Steps measured (after the warm-up).</param>
/// <param name="WarmupSteps">Steps run before measuring, not counted.</param>
/// <param name="WarmupSeconds">Wall-clock seconds of the warm-up steps (their rate shows how cold the process and the storage were).</param>
/// <param name="Seconds">Wall-clock seconds of the measured steps.</param>
/// <param name="OperationsPerStep">Storage operations per step (8).</param>
/// <param name="Connection"><c>Azurite</c> or the storage account's name; never a key.</param>
/// <param name="QueueEndpoint">The queue service endpoint, without any query (SAS) part.</param>
public sealed record StorageFloor(
    double StepsPerSecond,
    FloorMs MsPerStep,
    int Steps,
    int WarmupSteps,
    double WarmupSeconds,
    double Seconds,
    int OperationsPerStep,
    string Connection,
    string QueueEndpoint)
{
    /// <summary>The storage operations of one step (see the record's summary).</summary>
    public const int StepOperations = 8;
}

/// <summary>
/// The HTTP floor: sequential POSTs of a StateFun-sized body to the no-op endpoint (<c>/api/noop</c>) of the host that
/// runs the bench, over the StateFun driver's own HTTP client: the fastest a request-reply round trip goes on this
/// machine, whichever StateFun endpoint the run drives.
/// </summary>
/// <param name="RequestsPerSecond">Measured requests / measured seconds.</param>
/// <param name="Ms">Time of one request (send to last response byte).</param>
/// <param name="Requests">Requests measured (after the warm-up).</param>
/// <param name="WarmupRequests">Requests sent before measuring, not counted.</param>
/// <param name="WarmupSeconds">Wall-clock seconds of the warm-up requests.</param>
/// <param name="Seconds">Wall-clock seconds of the measured requests.</param>
/// <param name="BodyBytes">The request body's size.</param>
/// <param name="Url">The no-op endpoint, without its query (a function key stays out of the document).</param>
public sealed record HttpFloor(
    double RequestsPerSecond,
    FloorMs Ms,
    int Requests,
    int WarmupRequests,
    double WarmupSeconds,
    double Seconds,
    int BodyBytes,
    string Url);

/// <summary>Milliseconds of one step or request.</summary>
public sealed record FloorMs(double Mean, double P50, double P99)
{
    /// <summary>Mean, p50 and p99 of <paramref name="values"/> (at least one).</summary>
    public static FloorMs Of(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A floor needs at least one measured step.", nameof(values));
        }

        return new FloorMs(sorted.Average(), Statistics.Percentile(sorted, 50), Statistics.Percentile(sorted, 99));
    }
}

/// <summary>
/// The HTTP floor of a statefun unit measured in turns with its logins (<c>floorSource</c> <c>turns</c>): the driver
/// activity runs its logins in chunks and, between two chunks, a slice of no-op POSTs twice as many as the chunk's
/// logins, so that the floor and the logins see the same moments of a shared machine. The slices lie inside the unit's
/// span and are taken out of its execution time, which then counts the logins' own time only.
/// </summary>
/// <param name="Requests">No-op POSTs measured.</param>
/// <param name="Seconds">Wall-clock seconds of all the slices together, a failed one included.</param>
/// <param name="Error">Why the floor stopped (a no-op POST failed; the logins went on); null when every slice ran.</param>
public sealed record HttpFloorInTurns(int Requests, double Seconds, string? Error = null)
{
    /// <summary>Requests per second over the slices' own time; null when a slice failed or nothing was measured.</summary>
    public double? RequestsPerSecond => this.Error is null && this.Requests > 0 && this.Seconds > 0 ? this.Requests / this.Seconds : null;

    /// <summary>The floor of two segments of one unit together; either may be null.</summary>
    public static HttpFloorInTurns? Merge(HttpFloorInTurns? first, HttpFloorInTurns? second) =>
        first is null ? second
        : second is null ? first
        : new HttpFloorInTurns(first.Requests + second.Requests, first.Seconds + second.Seconds, first.Error ?? second.Error);
}
