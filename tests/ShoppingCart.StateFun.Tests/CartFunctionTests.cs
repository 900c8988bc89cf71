using System.Text;
using FunctionsBench.StateFun;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.ShoppingCart.StateFun.Tests;

/// <summary>Each function's behaviour through the SDK's handler, with requests built as the StateFun runtime builds them.</summary>
public class CartFunctionTests
{
    private static readonly RequestReplyHandler Handler = ShoppingCartFunctions.CreateHandler();

    [Fact]
    public async Task EachFunction_WithoutItsStates_AsksTheRuntimeToRegisterThem()
    {
        var cart = await ReplyAsync(Request(Cart("u1"), states: null, caller: null, Json("com.example/Checkout", """{"userId":"u1"}""")));
        var stock = await ReplyAsync(Request(Stock("i1"), states: null, caller: null, Json("com.example/RestockItem", """{"itemId":"i1","quantity":1}""")));

        Assert.Equal(FromFunction.ResponseOneofCase.IncompleteInvocationContext, cart.ResponseCase);
        Assert.Equal(["basket:com.example/Basket", "applied:io.statefun.types/int"], cart.IncompleteInvocationContext.MissingValues.Select(v => $"{v.StateName}:{v.TypeTypename}"));
        Assert.Equal(["stock:io.statefun.types/int", "applied:io.statefun.types/int"], stock.IncompleteInvocationContext.MissingValues.Select(v => $"{v.StateName}:{v.TypeTypename}"));
    }

    [Fact]
    public async Task AddToCart_AsksTheItemsStockForTheQuantity_AndChangesNothingYet()
    {
        var reply = (await ReplyAsync(Request(Cart("u1"), CartStates(null, 0), caller: null, Json("com.example/AddToCart", """{"userId":"u1","itemId":"i7","quantity":3}""")))).InvocationResult;

        Assert.Empty(reply.StateMutations);
        var request = Assert.Single(reply.OutgoingMessages);
        Assert.Equal("com.example/stock/i7", $"{request.Target.Namespace}/{request.Target.Type}/{request.Target.Id}");
        Assert.Equal("com.example/RequestItem", request.Argument.Typename);
        Assert.Equal("""{"quantity":3}""", request.Argument.Value.ToStringUtf8());
        Assert.Empty(reply.OutgoingEgresses);
    }

    [Fact]
    public async Task RequestItem_InStock_ReservesAndAnswersTheCallerInStock()
    {
        var reply = (await ReplyAsync(Request(Stock("i7"), StockStates(5, 2), Cart("u1"), Json("com.example/RequestItem", """{"quantity":3}""")))).InvocationResult;

        Assert.Equal(["stock=2", "applied=3"], Ints(reply));
        var answer = Assert.Single(reply.OutgoingMessages);
        Assert.Equal("com.example/user-shopping-cart/u1", $"{answer.Target.Namespace}/{answer.Target.Type}/{answer.Target.Id}");
        Assert.Equal("com.example/ItemAvailability", answer.Argument.Typename);
        Assert.Equal("""{"status":"INSTOCK","quantity":3}""", answer.Argument.Value.ToStringUtf8());
    }

    [Fact]
    public async Task RequestItem_OutOfStock_KeepsTheStockAndAnswersOutOfStock()
    {
        var reply = (await ReplyAsync(Request(Stock("i7"), StockStates(2, 0), Cart("u1"), Json("com.example/RequestItem", """{"quantity":3}""")))).InvocationResult;

        Assert.Equal(["applied=1"], Ints(reply));
        Assert.Equal("""{"status":"OUTOFSTOCK","quantity":3}""", Assert.Single(reply.OutgoingMessages).Argument.Value.ToStringUtf8());
    }

    [Fact]
    public async Task RequestItem_ForExactlyWhatIsLeft_IsInStockAndLeavesZero()
    {
        var reply = (await ReplyAsync(Request(Stock("i7"), StockStates(3, null), Cart("u1"), Json("com.example/RequestItem", """{"quantity":3}""")))).InvocationResult;

        Assert.Equal(["stock=0", "applied=1"], Ints(reply));
        Assert.Contains("INSTOCK", Assert.Single(reply.OutgoingMessages).Argument.Value.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestockItem_AddsToTheStock_AndAStockWithNoValueStartsAtZero()
    {
        var stocked = (await ReplyAsync(Request(Stock("i7"), StockStates(2, 4), caller: null, Json("com.example/RestockItem", """{"itemId":"i7","quantity":5}""")))).InvocationResult;
        var fresh = (await ReplyAsync(Request(Stock("i8"), StockStates(null, null), caller: null, Json("com.example/RestockItem", """{"itemId":"i8","quantity":5}""")))).InvocationResult;

        Assert.Equal(["stock=7", "applied=5"], Ints(stocked));
        Assert.Equal(["stock=5", "applied=1"], Ints(fresh));
        Assert.Empty(stocked.OutgoingMessages);
    }

    [Fact]
    public async Task ItemAvailability_InStock_AddsTheCallersItemToTheBasket()
    {
        var reply = (await ReplyAsync(Request(Cart("u1"), CartStates("""{"basket":{"i7":1,"i2":4}}""", 3), Stock("i7"), Json("com.example/ItemAvailability", """{"status":"INSTOCK","quantity":3}""")))).InvocationResult;

        Assert.Equal("""{"i7":4,"i2":4}""", BasketOf(reply));
        Assert.Equal(["applied=4"], Ints(reply));
        Assert.Empty(reply.OutgoingMessages);
    }

    [Fact]
    public async Task ItemAvailability_OutOfStock_LeavesTheBasket_AndCountsTheAddAsApplied()
    {
        var reply = (await ReplyAsync(Request(Cart("u1"), CartStates("""{"basket":{"i2":4}}""", 3), Stock("i7"), Json("com.example/ItemAvailability", """{"status":"OUTOFSTOCK","quantity":3}""")))).InvocationResult;

        Assert.Equal(["applied=4"], Ints(reply));
        Assert.DoesNotContain(reply.StateMutations, m => m.StateName == "basket");
    }

    [Fact]
    public async Task ClearCart_ReturnsEveryQuantityToItsStock_AndEmptiesTheBasket()
    {
        var reply = (await ReplyAsync(Request(Cart("u1"), CartStates("""{"basket":{"i9":2,"i10":1}}""", 6), caller: null, Json("com.example/ClearCart", """{"userId":"u1"}""")))).InvocationResult;

        Assert.Equal(
            ["com.example/stock/i10 com.example/RestockItem {\"itemId\":\"i10\",\"quantity\":1}", "com.example/stock/i9 com.example/RestockItem {\"itemId\":\"i9\",\"quantity\":2}"],
            reply.OutgoingMessages.Select(m => $"{m.Target.Namespace}/{m.Target.Type}/{m.Target.Id} {m.Argument.Typename} {m.Argument.Value.ToStringUtf8()}"));
        var basket = Assert.Single(reply.StateMutations, m => m.StateName == "basket");
        Assert.Equal(FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete, basket.MutationType);
        Assert.Equal(["applied=7"], Ints(reply));
        Assert.Empty(reply.OutgoingEgresses);
    }

    [Fact]
    public async Task Checkout_EmitsAReceiptOfTheBasketOnTheReceiptsTopic_AndEmptiesIt()
    {
        var reply = (await ReplyAsync(Request(Cart("u1"), CartStates("""{"basket":{"i9":2,"i10":1}}""", 6), caller: null, Json("com.example/Checkout", """{"userId":"u1"}""")))).InvocationResult;

        var egress = Assert.Single(reply.OutgoingEgresses);
        Assert.Equal("io.statefun.playground/egress", $"{egress.EgressNamespace}/{egress.EgressType}");
        Assert.Equal("io.statefun.playground/EgressRecord", egress.Argument.Typename);
        Assert.Equal("""{"topic":"receipts","payload":"{\u0022userId\u0022:\u0022u1\u0022,\u0022details\u0022:\u0022i10: 1\\ni9: 2\u0022}"}""", egress.Argument.Value.ToStringUtf8());
        var record = ShoppingCartFunctions.EgressRecordType.Deserialize(egress.Argument.Value.Span);
        var receipt = ShoppingCartFunctions.ReceiptType.Deserialize(Encoding.UTF8.GetBytes(record.Payload));
        Assert.Equal(new Dictionary<string, int> { ["i10"] = 1, ["i9"] = 2 }, ShoppingCartFunctions.ParseDetails(receipt.Details));
        Assert.Equal(FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete, Assert.Single(reply.StateMutations, m => m.StateName == "basket").MutationType);
        Assert.Equal(["applied=7"], Ints(reply));
        Assert.Empty(reply.OutgoingMessages);
    }

    [Fact]
    public async Task Checkout_OfAnEmptyCart_EmitsAnEmptyReceipt()
    {
        var reply = (await ReplyAsync(Request(Cart("u3"), CartStates(null, null), caller: null, Json("com.example/Checkout", """{"userId":"u3"}""")))).InvocationResult;

        var record = ShoppingCartFunctions.EgressRecordType.Deserialize(Assert.Single(reply.OutgoingEgresses).Argument.Value.Span);
        Assert.Equal("""{"userId":"u3","details":""}""", record.Payload);
        Assert.Equal(["applied=1"], Ints(reply));
    }

    [Fact]
    public async Task ABatchOfSeveralMessages_SeesEachOthersWrites()
    {
        var reply = (await ReplyAsync(Request(
            Stock("i1"), StockStates(1, 0), Cart("u1"),
            Json("com.example/RequestItem", """{"quantity":1}"""),
            Json("com.example/RequestItem", """{"quantity":1}"""),
            Json("com.example/RestockItem", """{"itemId":"i1","quantity":2}""")))).InvocationResult;

        Assert.Equal(["stock=2", "applied=3"], Ints(reply));
        Assert.Equal(["INSTOCK", "OUTOFSTOCK"], reply.OutgoingMessages.Select(m => m.Argument.Value.ToStringUtf8().Contains("OUTOFSTOCK", StringComparison.Ordinal) ? "OUTOFSTOCK" : "INSTOCK"));
    }

    [Theory]
    [InlineData("cart", "com.example/ItemAvailability", """{"status":"INSTOCK","quantity":1}""")] // from an ingress: no item to add
    [InlineData("stock", "com.example/RequestItem", """{"quantity":1}""")] // from an ingress: nobody to answer
    [InlineData("cart", "com.example/RestockItem", """{"itemId":"i1","quantity":1}""")] // not a cart's message
    [InlineData("stock", "com.example/Checkout", """{"userId":"u1"}""")] // not a stock's message
    [InlineData("stock", "com.example/RestockItem", """{"itemId":"i1","quantity":-1}""")] // a negative restock would take stock away
    [InlineData("cart", "com.example/AddToCart", """{"userId":"u1","itemId":"i1","quantity":0}""")]
    [InlineData("cart", "com.example/AddToCart", """{"userId":"u1","itemId":"i1","quantity":"x"}""")]
    public async Task AMessageTheFunctionCannotApply_Throws_SoTheEndpointAnswers500(string function, string typename, string json)
    {
        var request = function == "cart"
            ? Request(Cart("u1"), CartStates(null, null), caller: null, Json(typename, json))
            : Request(Stock("i1"), StockStates(5, null), caller: null, Json(typename, json));

        await Assert.ThrowsAnyAsync<Exception>(() => ReplyAsync(request));
    }

    internal static Proto.Address Cart(string id) => new() { Namespace = "com.example", Type = "user-shopping-cart", Id = id };

    internal static Proto.Address Stock(string id) => new() { Namespace = "com.example", Type = "stock", Id = id };

    internal static Proto.TypedValue Json(string typename, string json) => new() { Typename = typename, HasValue = true, Value = ByteString.CopyFromUtf8(json) };

    private static List<ToFunction.Types.PersistedValue> CartStates(string? basketJson, int? applied) =>
    [
        State("basket", basketJson is null ? null : Json("com.example/Basket", basketJson)),
        State("applied", applied is { } a ? Int(a) : null),
    ];

    private static List<ToFunction.Types.PersistedValue> StockStates(int? stock, int? applied) =>
    [
        State("stock", stock is { } s ? Int(s) : null),
        State("applied", applied is { } a ? Int(a) : null),
    ];

    private static Proto.TypedValue Int(int value) => new() { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFrom(Types.Int.Serialize(value).Span) };

    // A registered state the address has no value for comes as has_value false, as the runtime sends it.
    private static ToFunction.Types.PersistedValue State(string name, Proto.TypedValue? value) =>
        new() { StateName = name, StateValue = value ?? new Proto.TypedValue { Typename = name == "basket" ? "com.example/Basket" : "io.statefun.types/int" } };

    private static ToFunction Request(Proto.Address target, List<ToFunction.Types.PersistedValue>? states, Proto.Address? caller, params Proto.TypedValue[] arguments)
    {
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = target };
        batch.State.AddRange(states ?? []);
        foreach (var argument in arguments)
        {
            var invocation = new ToFunction.Types.Invocation { Argument = argument };
            if (caller is not null)
            {
                invocation.Caller = caller;
            }

            batch.Invocations.Add(invocation);
        }

        return new ToFunction { Invocation = batch };
    }

    // Through the bytes, as the endpoint serves it.
    private static async Task<FromFunction> ReplyAsync(ToFunction request) =>
        FromFunction.Parser.ParseFrom(await Handler.HandleAsync(request.ToByteArray()));

    private static string[] Ints(FromFunction.Types.InvocationResponse reply) =>
        [.. reply.StateMutations.Where(m => m.StateName != "basket").Select(m => $"{m.StateName}={Types.Int.Deserialize(m.StateValue.Value.Span)}")];

    private static string BasketOf(FromFunction.Types.InvocationResponse reply)
    {
        var mutation = Assert.Single(reply.StateMutations, m => m.StateName == "basket");
        Assert.Equal("com.example/Basket", mutation.StateValue.Typename);
        var json = mutation.StateValue.Value.ToStringUtf8();
        Assert.StartsWith("""{"basket":""", json, StringComparison.Ordinal);
        return json["""{"basket":""".Length..^1];
    }
}
