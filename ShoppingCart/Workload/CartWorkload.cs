namespace FunctionsBench.ShoppingCart;

/// <summary>
/// The seeded generator: the N operations of a unit, dealt round-robin to <see cref="CartWorkloadOptions.Users"/> user
/// loops. Operation k belongs to loop k mod users, so each loop's operations are in id order, and a loop addresses its
/// own user's cart one operation at a time (as StateFun delivers messages to one address); the items are shared by all
/// loops, which is where users contend.
/// </summary>
public static class CartWorkload
{
    /// <summary>The <paramref name="operations"/> operations of a unit, in id order (ids 0 to N-1).</summary>
    public static IReadOnlyList<CartOperation> Generate(CartWorkloadOptions options, int operations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        options.Validate();
        var random = new Random(options.Seed);
        var items = new ItemPicker(options);
        CartMix mix = options.EffectiveMix;
        var result = new CartOperation[operations];
        for (int id = 0; id < operations; id++)
        {
            string user = CartWorkloadOptions.UserKey(LoopOf(options, id));
            int draw = random.Next(mix.Total);
            result[id] = draw < mix.AddToCart ? new(id, CartOperationKind.AddToCart, user, items.Next(random), random.Next(1, options.MaxQuantity + 1))
                : (draw -= mix.AddToCart) < mix.ClearCart ? new(id, CartOperationKind.ClearCart, user, null, 0)
                : (draw -= mix.ClearCart) < mix.Checkout ? new(id, CartOperationKind.Checkout, user, null, 0)
                : new(id, CartOperationKind.RestockItem, user, items.Next(random), random.Next(1, options.MaxQuantity + 1));
        }

        return result;
    }

    /// <summary>The user loop operation <paramref name="id"/> belongs to.</summary>
    public static int LoopOf(CartWorkloadOptions options, int id)
    {
        ArgumentNullException.ThrowIfNull(options);
        return id % options.Users;
    }

    /// <summary>The operations of user loop <paramref name="loop"/>, in the order it makes them.</summary>
    public static IReadOnlyList<CartOperation> ForLoop(CartWorkloadOptions options, IReadOnlyList<CartOperation> operations, int loop)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return [.. operations.Where(o => LoopOf(options, o.Id) == loop)];
    }

    /// <summary>Draws item keys uniformly or by Zipf's law (inverse CDF over precomputed cumulative weights).</summary>
    private sealed class ItemPicker
    {
        private readonly double[]? cumulative;
        private readonly int items;

        public ItemPicker(CartWorkloadOptions options)
        {
            this.items = options.Items;
            if (options.Keys == ItemKeyDistribution.Zipfian)
            {
                this.cumulative = new double[options.Items];
                double sum = 0;
                for (int k = 0; k < options.Items; k++)
                {
                    sum += 1.0 / Math.Pow(k + 1, options.ZipfExponent);
                    this.cumulative[k] = sum;
                }

                for (int k = 0; k < options.Items; k++)
                {
                    this.cumulative[k] /= sum;
                }
            }
        }

        public string Next(Random random)
        {
            if (this.cumulative is null)
            {
                return CartWorkloadOptions.ItemKey(random.Next(this.items));
            }

            int index = Array.BinarySearch(this.cumulative, random.NextDouble());
            index = index < 0 ? ~index : index;
            return CartWorkloadOptions.ItemKey(Math.Min(index, this.items - 1));
        }
    }
}
