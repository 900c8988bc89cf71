using FunctionsBench.Embedded.Run;
using FunctionsBench.ShoppingCart;

namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// The shopping cart on StateFun at driver level: for each number of users, a unit of the workload through
/// <see cref="StateFunCartDriver"/> (every user loop in flight at once, one message at a time per address) against the
/// standalone server, in turns with the concurrent HTTP floor (as many loops of no-op POSTs of a cart-sized body to the
/// same Kestrel, over the same client capped at as many connections as users). Efficiency = operations/s x HTTP
/// requests per operation / floor requests/s, each side over its own time only; the invariants are checked after
/// every unit.
/// </summary>
internal static class CartBenchmark
{
    public const int DefaultOperations = 4000;
    public static readonly int[] DefaultUsers = [1, 4, 16, 64];
    // A unit runs in parts with a floor slice after each; a part gives every loop at least this many operations, so
    // that the loops finishing one after another at the end of a part (fewer requests in flight) stays a small share.
    private const int OperationsPerLoopPerPart = 50;
    private const int MaxParts = 8;
    private const string NoopPath = "/api/noop";

    public static async Task<int> RunAsync(int operations, IReadOnlyList<int> usersList)
    {
        var inv = CultureInfo.InvariantCulture;
        // The standalone server as ./bench statefun runs it (requests on the thread that read them), with the floor's no-op path.
        await using var server = await StateFunServer.StartAsync(0, "127.0.0.1", handler: null, NoopPath, inlineScheduling: true, CancellationToken.None);
        var endpoint = new Uri(server.BaseAddress.OriginalString + "api/statefun/{function.name}");
        var noopUrl = new Uri(server.BaseAddress, NoopPath);
        var body = StateFunCartDriver.FloorBody();

        // Warm-up: JIT and tiering of the driver, the functions and the floor's path.
        var warmupStarted = Stopwatch.GetTimestamp();
        using (var warmClient = Client(16))
        {
            while (Stopwatch.GetElapsedTime(warmupStarted) < TimeSpan.FromSeconds(5))
            {
                var warmOptions = new CartWorkloadOptions(Users: 16, Seed: 99);
                await new StateFunCartDriver(warmClient).RunAsync(new StateFunCartRequest(endpoint, warmOptions, CartWorkload.Generate(warmOptions, 1000), StateFunCartDriver.InitialState(warmOptions)));
                await FloorAsync(warmClient, noopUrl, body, 16, 2000);
            }
        }

        Console.WriteLine(string.Create(inv,
            $"cart on statefun at driver level: units of {operations} operations (default mix, 100 items, stock 50, uniform), each in up to {MaxParts} parts of at least {OperationsPerLoopPerPart} operations per user loop, in turns with a floor slice of as many no-op POSTs of {body.Length} bytes from as many loops as users; {Environment.ProcessorCount} cores; warm-up {Stopwatch.GetElapsedTime(warmupStarted).TotalSeconds:F1} s"));
        Console.WriteLine("users  parts  floor req/s  floor p50/p99 ms | ops/s  req/op  req/s  waits/op | efficiency | busy cores  steal | process cores | invariants");
        var rates = new Dictionary<int, double>();
        var failures = 0;
        var perKind = new List<string>();
        foreach (var users in usersList)
        {
            using var client = Client(users);
            var options = new CartWorkloadOptions(Users: users, Seed: 7);
            var ops = CartWorkload.Generate(options, operations);
            var driver = new StateFunCartDriver(client);
            var state = StateFunCartDriver.InitialState(options);
            var timings = new List<CartOperationTiming>(operations);
            var outcomes = new List<CartOutcome>(operations);
            var cartTime = TimeSpan.Zero;
            var floorTime = TimeSpan.Zero;
            var floorMs = new List<double>();
            long requests = 0, waits = 0;
            var cpuAtStart = MachineCpu.Read();
            var processCpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var wallAtStart = Stopwatch.GetTimestamp();
            var parts = Math.Clamp(operations / (users * OperationsPerLoopPerPart), 1, MaxParts);
            var chunkSize = (int)Math.Ceiling(operations / (double)parts);
            for (var chunk = 0; chunk < parts; chunk++)
            {
                var part = ops.Skip(chunk * chunkSize).Take(chunkSize).ToList();
                if (part.Count == 0)
                {
                    break;
                }

                var started = Stopwatch.GetTimestamp();
                var result = await driver.RunAsync(new StateFunCartRequest(endpoint, options, part, state));
                cartTime += Stopwatch.GetElapsedTime(started);
                state = result.State;
                timings.AddRange(result.Timings);
                outcomes.AddRange(result.Outcomes);
                requests += result.HttpRequests;
                waits += result.MailboxWaits;

                // The floor's slice: as many requests as the chunk made, from as many loops as users.
                started = Stopwatch.GetTimestamp();
                floorMs.AddRange(await FloorAsync(client, noopUrl, body, users, (int)result.HttpRequests));
                floorTime += Stopwatch.GetElapsedTime(started);
            }

            var processCores = (Process.GetCurrentProcess().TotalProcessorTime - processCpuAtStart).TotalSeconds / Stopwatch.GetElapsedTime(wallAtStart).TotalSeconds;
            double? busy = null, steal = null;
            if (cpuAtStart is { } from && MachineCpu.Read() is { } to)
            {
                (var busyCores, var stolenCores) = to.CoresSince(from, Environment.ProcessorCount);
                (busy, steal) = (busyCores, stolenCores);
            }

            var verdicts = CartInvariants.Check(options, ops, outcomes, StateFunCartDriver.FinalState(state));
            var failure = CartInvariants.Failure(verdicts);
            failures += failure is null ? 0 : 1;
            floorMs.Sort();
            var floorRate = floorMs.Count / floorTime.TotalSeconds;
            var rate = operations / cartTime.TotalSeconds;
            var perOp = requests / (double)operations;
            rates[users] = rate;
            Console.WriteLine(string.Create(inv,
                $"{users,5}  {parts,5}  {floorRate,11:F0}  {ActivityBenchmark.Percentile(floorMs, 0.5),7:F3}/{ActivityBenchmark.Percentile(floorMs, 0.99):F3} | {rate,5:F0}  {perOp,6:F2}  {rate * perOp,5:F0}  {waits / (double)operations,8:F2} | {rate * perOp / floorRate,10:F2} | {(busy is double b ? b.ToString("F2", inv) : "-"),10}  {(steal is double s ? s.ToString("F2", inv) : "-"),5} | {processCores,13:F2} | {(failure is null ? $"all {verdicts.Count} hold" : failure)}"));
            foreach (var kind in Enum.GetValues<CartOperationKind>())
            {
                var ms = timings.Where(t => t.Kind == kind).Select(t => t.ElapsedMs).Order().ToList();
                if (ms.Count > 0)
                {
                    perKind.Add(string.Create(inv, $"{users,5}  {kind,-12} {ms.Count,6}  {ActivityBenchmark.Percentile(ms, 0.5),7:F3}  {ActivityBenchmark.Percentile(ms, 0.9),7:F3}  {ActivityBenchmark.Percentile(ms, 0.99),7:F3}"));
                }
            }
        }

        Console.WriteLine("users  operation     count  p50 ms   p90 ms   p99 ms");
        perKind.ForEach(Console.WriteLine);
        if (rates.TryGetValue(1, out var one) && rates.TryGetValue(16, out var sixteen))
        {
            Console.WriteLine(string.Create(inv, $"throughput at 16 users / at 1 user: {sixteen / one:F2} (target >= 3)"));
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The driver and the functions with no HTTP between them, one user loop: what the protocol work on both sides
    /// costs per operation and per request, against which a floor request's time can be set.
    /// </summary>
    public static async Task InMemoryAsync(int operations)
    {
        using var client = new HttpClient(new InMemoryEndpoint(ServedFunctions.CreateHandler()));
        var endpoint = new Uri("http://in-memory/");
        var driver = new StateFunCartDriver(client);
        var options = new CartWorkloadOptions(Users: 1, Seed: 7);
        for (var round = 0; round < 4; round++)
        {
            var ops = CartWorkload.Generate(options with { Seed = 7 + round }, operations);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            InMemoryEndpoint.HandlerTicks = 0;
            var started = Stopwatch.GetTimestamp();
            var result = await driver.RunAsync(new StateFunCartRequest(endpoint, options, ops, StateFunCartDriver.InitialState(options)));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
            var failure = CartInvariants.Failure(CartInvariants.Check(options, ops, result.Outcomes, StateFunCartDriver.FinalState(result.State)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in memory, round {round + 1}: {operations} operations, {result.HttpRequests / (double)operations:F2} requests each; {elapsed.TotalMicroseconds / operations:F1} us wall and {cpuUs / operations:F1} us CPU per operation, {elapsed.TotalMicroseconds / result.HttpRequests:F1} us wall per request, of which the handler {InMemoryEndpoint.HandlerTicks * 1e6 / Stopwatch.Frequency / result.HttpRequests:F1} us; {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)result.HttpRequests:F0} B per request; {(failure is null ? "invariants hold" : failure)}"));
        }
    }

    /// <summary>Answers the driver's POSTs with the handler directly, as the endpoint would, without any I/O.</summary>
    private sealed class InMemoryEndpoint(RequestReplyHandler handler) : HttpMessageHandler
    {
        /// <summary>Time spent in the handler, in <see cref="Stopwatch"/> ticks.</summary>
        public static long HandlerTicks;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var reply = await handler.HandleAsync(body, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref HandlerTicks, Stopwatch.GetTimestamp() - started);
            var content = new ByteArrayContent(reply);
            content.Headers.TryAddWithoutValidation("Content-Type", StateFunHttpEndpoint.ContentType);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content };
        }
    }

    // The bench's StateFun client settings, held to as many connections as users.
    private static HttpClient Client(int users) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = users }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary><paramref name="total"/> no-op POSTs from <paramref name="loops"/> loops at once, each sequential; every latency in ms.</summary>
    private static async Task<List<double>> FloorAsync(HttpClient client, Uri url, byte[] body, int loops, int total)
    {
        var perLoop = Enumerable.Range(0, loops).Select(l => total / loops + (l < total % loops ? 1 : 0)).ToArray();
        var results = await Task.WhenAll(perLoop.Select(count => Task.Run(async () =>
        {
            var ms = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var request = StateFunDriver.NewRequest(url, body, functionKey: null);
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return ms;
        })));
        return [.. results.SelectMany(r => r)];
    }
}
