using FunctionsBench.ShoppingCart;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The cart workload's parameters of a run (<c>settings.cart</c> in the results; the request fields <c>items</c>,
/// <c>initialStock</c>, <c>zipf</c>, <c>seed</c> and <c>criticalSection</c>). Each unit's operations are generated from
/// these, its N and its user loops (<see cref="CartWorkload.Generate"/>).
/// </summary>
/// <param name="Items">Distinct items.</param>
/// <param name="InitialStock">Every item's stock before a unit's first operation.</param>
/// <param name="Zipf">The Zipf exponent of the items' keys; 0 for uniform keys.</param>
/// <param name="Seed">The generator's seed.</param>
/// <param name="CriticalSection">
/// cart-df only: whether AddToCart and ClearCart lock the cart and the stocks they change
/// (<c>LockEntitiesAsync</c>) for the operation's calls; see ShoppingCart/README.md.
/// </param>
public sealed record CartSettings(int Items = 100, int InitialStock = 50, double Zipf = 0, int Seed = 1, bool CriticalSection = false)
{
    /// <summary>Most items.</summary>
    public const int MaxItems = 10_000;

    /// <summary>Largest initial stock.</summary>
    public const int MaxInitialStock = 1_000_000;

    /// <summary>Largest Zipf exponent.</summary>
    public const double MaxZipf = 5;

    /// <summary>The workload options of a unit with <paramref name="users"/> user loops.</summary>
    public CartWorkloadOptions Workload(int users) => new(
        Users: users, Items: this.Items, InitialStock: this.InitialStock,
        Keys: this.Zipf > 0 ? ItemKeyDistribution.Zipfian : ItemKeyDistribution.Uniform, ZipfExponent: this.Zipf > 0 ? this.Zipf : 1.0, Seed: this.Seed);
}

/// <summary>What a cart unit measured beyond the common figures (<c>cart</c> of a result).</summary>
/// <param name="CheckoutsPerSecond">Checkouts / execution seconds.</param>
/// <param name="Operations">Operations of each kind in the unit.</param>
/// <param name="LatencyMsByOperation">Latency statistics per operation kind (of the recorded operations).</param>
/// <param name="StepsPerOperation">
/// Storage steps one operation needs at minimum, averaged over the unit's operations (AddToCart 4, ClearCart 2 or 4,
/// Checkout 2, RestockItem 2; with the critical section, AddToCart and a ClearCart that returns stock take 3 more for
/// the lock): the <c>stepsPerInvocation</c> the efficiency uses, unrounded.
/// </param>
/// <param name="InStock">AddToCart operations the stock answered INSTOCK.</param>
/// <param name="CriticalSection">Whether AddToCart and ClearCart ran in a critical section.</param>
public sealed record CartFigures(
    double CheckoutsPerSecond,
    IReadOnlyDictionary<string, int> Operations,
    IReadOnlyDictionary<string, LatencySummary> LatencyMsByOperation,
    double StepsPerOperation,
    int InStock,
    bool CriticalSection);
