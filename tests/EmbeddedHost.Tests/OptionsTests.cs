using FunctionsBench.Embedded.Web;

namespace FunctionsBench.Embedded.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("1hub")]
    [InlineData("my-hub")]
    [InlineData("h234567890123456789012345678901234567890123456")]
    public void Validate_InvalidTaskHubName_Throws(string name)
    {
        var options = new EmbeddedHostOptions { TaskHubName = name };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Validate_PartitionCountOutOfRange_Throws(int partitions)
    {
        var options = new EmbeddedHostOptions { PartitionCount = partitions };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new EmbeddedHostOptions();

        options.Validate();

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("*")]
    [InlineData("192.168.1.10")]
    public void Validate_NonLoopbackBindWithoutKey_Throws(string bind)
    {
        var options = new EmbeddedWebHostOptions { BindAddress = bind };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Validate_LoopbackBindWithoutKey_Passes(string bind)
    {
        var options = new EmbeddedWebHostOptions { BindAddress = bind };

        options.Validate();

        Assert.True(options.IsLoopback);
    }

    [Fact]
    public void Validate_NonLoopbackBindWithKey_Passes()
    {
        var options = new EmbeddedWebHostOptions { BindAddress = "0.0.0.0", ApiKey = "key" };

        options.Validate();

        Assert.False(options.IsLoopback);
    }
}
