using Azure;
using FunctionsBench.Embedded.Durable;

namespace FunctionsBench.Embedded.Tests;

/// <summary>The partition monitor of <c>serve</c> outlives storage that does not answer, and nothing else.</summary>
public sealed class PartitionMonitorTests
{
    [Fact]
    public void IsStorageUnavailable_RetriesExhaustedOnRefusedConnections_IsTrue()
    {
        // What the Azure SDK throws once its retries against a killed Azurite run out.
        var exhausted = new AggregateException(new HttpRequestException("Connection refused"), new HttpRequestException("Connection refused"));

        Assert.True(PartitionMonitor.IsStorageUnavailable(exhausted, CancellationToken.None));
        Assert.True(PartitionMonitor.IsStorageUnavailable(new RequestFailedException(503, "ServerBusy"), CancellationToken.None));
        Assert.True(PartitionMonitor.IsStorageUnavailable(new TaskCanceledException("network timeout"), CancellationToken.None));
    }

    [Fact]
    public void IsStorageUnavailable_ProgrammingErrorOrStopping_IsFalse()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();

        Assert.False(PartitionMonitor.IsStorageUnavailable(new ArgumentOutOfRangeException("applicationId"), CancellationToken.None));
        Assert.False(PartitionMonitor.IsStorageUnavailable(new AggregateException(new HttpRequestException(), new InvalidOperationException()), CancellationToken.None));
        Assert.False(PartitionMonitor.IsStorageUnavailable(new OperationCanceledException(stopping.Token), stopping.Token));
    }
}
