namespace FunctionsBench.ShoppingCart;

/// <summary>How item keys are drawn.</summary>
public enum ItemKeyDistribution
{
    /// <summary>Every item equally likely.</summary>
    Uniform,

    /// <summary>Item k (from 1) with probability proportional to 1 / k^s: a few hot items, as in popular shops.</summary>
    Zipfian,
}

/// <summary>Relative weights of the operation kinds.</summary>
public sealed record CartMix(int AddToCart, int ClearCart, int Checkout, int RestockItem)
{
    /// <summary>Mostly adding, a checkout every few adds, occasional clears and restocks.</summary>
    public static CartMix Default { get; } = new(70, 5, 15, 10);

    /// <summary>The sum of the weights.</summary>
    public int Total => this.AddToCart + this.ClearCart + this.Checkout + this.RestockItem;
}

/// <summary>The parameters of one unit of the workload.</summary>
/// <param name="Users">User loops in flight at once; loop u drives user <c>u{u}</c>, one operation at a time.</param>
/// <param name="Items">Distinct items.</param>
/// <param name="InitialStock">Stock of every item at the start of the unit.</param>
/// <param name="MaxQuantity">An AddToCart or RestockItem asks for 1 to this many.</param>
/// <param name="Keys">How an operation's item is drawn.</param>
/// <param name="ZipfExponent">s of the Zipfian distribution.</param>
/// <param name="Mix">Weights of the operation kinds.</param>
/// <param name="Seed">The generator's seed: the same options give the same operations.</param>
public sealed record CartWorkloadOptions(
    int Users = 1,
    int Items = 100,
    int InitialStock = 50,
    int MaxQuantity = 3,
    ItemKeyDistribution Keys = ItemKeyDistribution.Uniform,
    double ZipfExponent = 1.0,
    CartMix? Mix = null,
    int Seed = 1)
{
    /// <summary>The most user loops a unit may run.</summary>
    public const int MaxUsers = 256;

    /// <summary>The weights in use.</summary>
    public CartMix EffectiveMix => this.Mix ?? CartMix.Default;

    /// <summary>The key of user loop <paramref name="user"/>.</summary>
    public static string UserKey(int user) => $"u{user}";

    /// <summary>The key of item <paramref name="item"/> (0-based; item 0 is the hottest under Zipf).</summary>
    public static string ItemKey(int item) => $"i{item}";

    /// <summary>Every item key.</summary>
    public IEnumerable<string> ItemKeys => Enumerable.Range(0, this.Items).Select(ItemKey);

    /// <summary>Throws with the parameter's name when the options cannot make a workload.</summary>
    public void Validate()
    {
        Require(this.Users is >= 1 and <= MaxUsers, nameof(this.Users), $"must be 1 to {MaxUsers}");
        Require(this.Items >= 1, nameof(this.Items), "must be at least 1");
        Require(this.InitialStock >= 0, nameof(this.InitialStock), "must not be negative");
        Require(this.MaxQuantity >= 1, nameof(this.MaxQuantity), "must be at least 1");
        Require(this.ZipfExponent > 0 && double.IsFinite(this.ZipfExponent), nameof(this.ZipfExponent), "must be a positive number");
        CartMix mix = this.EffectiveMix;
        Require(mix.AddToCart >= 0 && mix.ClearCart >= 0 && mix.Checkout >= 0 && mix.RestockItem >= 0 && mix.Total > 0, nameof(this.Mix), "weights must be non-negative with a positive sum");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {rule}.", name);
        }
    }
}
