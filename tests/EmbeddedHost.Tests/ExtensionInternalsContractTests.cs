using System.Reflection;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FunctionsBench.Embedded.Durable;
using FunctionsBench.Hosting;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// One contract per hook of <see cref="ExtensionInternals"/>: what the embedded host relies on in the Durable Functions
/// extension and the libraries under it, checked without storage or a host, so an upgrade that changes it fails here,
/// naming the hook, before any end-to-end test.
/// </summary>
public sealed class ExtensionInternalsContractTests
{
    private static readonly Assembly Extension = typeof(DurableTaskExtension).Assembly;

    [Theory]
    [InlineData(DurableFunctionKind.Orchestrator, "OrchestrationTriggerAttribute")]
    [InlineData(DurableFunctionKind.Entity, "EntityTriggerAttribute")]
    [InlineData(DurableFunctionKind.Activity, "ActivityTriggerAttribute")]
    public void TriggerAttributes_AreTheExtensionsParameterAttributesWithAParameterlessConstructor(DurableFunctionKind kind, string name)
    {
        Type attribute = ExtensionInternals.TriggerAttribute(kind);

        Assert.True(attribute.Assembly == Extension && attribute.Name == name, $"Hook TriggerAttributes: {kind} binds {attribute.FullName}, not the extension's {name}.");
        AssertEmittable("TriggerAttributes", attribute);
    }

    [Fact]
    public void ClientAttribute_IsTheExtensionsParameterAttributeWithAParameterlessConstructor()
    {
        Assert.True(ExtensionInternals.ClientAttribute.Assembly == Extension, "Hook ClientAttribute: the client binding's attribute is not the extension's.");
        AssertEmittable("ClientAttribute", ExtensionInternals.ClientAttribute);
    }

    [Fact]
    public void WebhookProvider_TheExtensionTakesOneAndAsksItForTheUrl()
    {
#pragma warning disable CS0618 // the hook is the obsolete interface
        Type provider = typeof(IWebHookProvider);
#pragma warning restore CS0618
        bool taken = typeof(DurableTaskExtension).GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == provider));
        Assert.True(taken, $"Hook WebhookProvider: no constructor of {nameof(DurableTaskExtension)} takes {provider.FullName} any more; the extension learns its webhook URL another way now.");
        MethodInfo? getUrl = provider.GetMethod("GetUrl", [typeof(IExtensionConfigProvider)]);
        Assert.True(getUrl?.ReturnType == typeof(Uri), $"Hook WebhookProvider: {provider.FullName} has no Uri GetUrl(IExtensionConfigProvider).");

        var services = new ServiceCollection();
        var url = new Uri("http://127.0.0.1:7071/runtime/webhooks/durabletask?code=k");
        ExtensionInternals.AddWebhookUrl(services, _ => () => url);
        using ServiceProvider built = services.BuildServiceProvider();
        Assert.Equal(url, getUrl!.Invoke(built.GetRequiredService(provider), [null]));
    }

#pragma warning disable CS0612 // IPlatformInformation is obsolete: the extension still decides on the plan through it.
    [Fact]
    public void ConsumptionPlanSetting_SetMakesTheExtensionSeeAConsumptionPlan_ClearedItDoesNot()
    {
        const string platformType = "Microsoft.Azure.WebJobs.Extensions.DurableTask.DefaultPlatformInformation";
        Type? platform = Extension.GetType(platformType);
        Assert.True(platform is not null, $"Hook ConsumptionPlanSetting: the extension has no {platformType}; find where it decides on the plan now.");

        IPlatformInformation Platform(params IEnumerable<KeyValuePair<string, string?>>[] layers)
        {
            var configuration = new ConfigurationBuilder();
            foreach (IEnumerable<KeyValuePair<string, string?>> layer in layers)
            {
                configuration.AddInMemoryCollection(layer);
            }

            return (IPlatformInformation)Activator.CreateInstance(platform!, new DefaultNameResolver(configuration.Build()), NullLoggerFactory.Instance)!;
        }

        var machine = new Dictionary<string, string?> { [ExtensionInternals.ConsumptionPlanSetting] = "some-container" };
        Assert.True(
            Platform(machine).IsInConsumptionPlan(),
            $"Hook ConsumptionPlanSetting: {ExtensionInternals.ConsumptionPlanSetting} set no longer makes the extension see a Consumption plan; the override may be dropped or must change.");
        Assert.False(
            Platform(machine, ExtensionInternals.NotAConsumptionPlan).IsInConsumptionPlan(),
            $"Hook ConsumptionPlanSetting: clearing {ExtensionInternals.ConsumptionPlanSetting} no longer keeps the extension off the Consumption plan's limits.");
    }
#pragma warning restore CS0612

    [Fact]
    public void StorageTransport_ClientOptionsMadeLaterStartFromTheDefaultTransport()
    {
        // Nothing is swapped here: the end-to-end tests of this process swap it (StorageRequestLog) and must keep theirs.
        PropertyInfo? settable = typeof(ClientOptions).GetProperty(nameof(ClientOptions.Default), BindingFlags.Public | BindingFlags.Static);
        Assert.True(settable is not null && typeof(ClientOptions).GetProperty(nameof(ClientOptions.Transport))!.CanWrite, "Hook StorageTransport: Azure.Core's ClientOptions.Default or its settable Transport is gone.");
        HttpPipelineTransport process = ClientOptions.Default.Transport;

        foreach (ClientOptions options in new ClientOptions[] { new QueueClientOptions(), new TableClientOptions(), new BlobClientOptions() })
        {
            Assert.True(
                ReferenceEquals(process, options.Transport),
                $"Hook StorageTransport: a new {options.GetType().Name} does not start from ClientOptions.Default's transport, so the storage request log would see none of the provider's requests.");
        }
    }

    private static void AssertEmittable(string hook, Type attribute)
    {
        Assert.True(attribute.GetConstructor(Type.EmptyTypes) is not null, $"Hook {hook}: {attribute.FullName} has no parameterless constructor, which the emitted function type uses.");
        AttributeTargets targets = attribute.GetCustomAttribute<AttributeUsageAttribute>()?.ValidOn ?? AttributeTargets.All;
        Assert.True(targets.HasFlag(AttributeTargets.Parameter), $"Hook {hook}: {attribute.FullName} no longer applies to parameters ({targets}).");
    }
}
