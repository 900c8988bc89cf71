namespace FunctionsBench.StateFun.Tests;

public class GreetingTextTests
{
    [Theory]
    [InlineData(1, 0L, "Welcome Joe!")]
    [InlineData(2, 15L, "Nice to see you again Joe.")]
    [InlineData(3, 15L, "Third time is a charm Joe!")]
    [InlineData(4, 1500L, "Nice to see you for the 4th time, Joe! It has been 1500 milliseconds since we last saw you.")]
    [InlineData(5, 20L, "Nice to see you for the 5th time, Joe! It has been 20 milliseconds since we last saw you.")]
    [InlineData(21, 7L, "Nice to see you for the 21th time, Joe! It has been 7 milliseconds since we last saw you.")]
    public void For_SeenCount_ReturnsPlaygroundText(int seenCount, long deltaMs, string expected)
    {
        Assert.Equal(expected, GreetingText.For(seenCount, "Joe", deltaMs));
    }
}
