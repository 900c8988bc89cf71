using FunctionsBench.BenchOrchestrator;
using Microsoft.AspNetCore.Http;

namespace FunctionsBench.Http;

/// <summary>The Durable Functions management URIs of one instance (the check-status payload).</summary>
public sealed record HttpManagementUris(string Id, string StatusQueryGetUri, string SendEventPostUri, string TerminatePostUri, string PurgeHistoryDeleteUri);

/// <summary>What the shared HTTP API needs to know about the host serving it.</summary>
public interface IBenchHost
{
    /// <summary><c>functions</c> or <c>embedded</c>; recorded in the results.</summary>
    string HostName { get; }

    /// <summary>The Durable Task storage provider in use; recorded in the results.</summary>
    string StorageProvider { get; }

    /// <summary>The storage account and provider settings the task hub runs with; recorded in the results.</summary>
    StorageSetup Storage => StorageSetup.Unknown;

    /// <summary>The machine and component versions; recorded in the results.</summary>
    RunEnvironment? Environment => null;

    /// <summary>The limits requests are validated against.</summary>
    BenchLimits Limits => new();

    /// <summary>The management URIs of <paramref name="instanceId"/> as this host serves them.</summary>
    HttpManagementUris CreateManagementUris(HttpRequest request, string instanceId);
}
