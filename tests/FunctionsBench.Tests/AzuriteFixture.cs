namespace FunctionsBench.Tests;

/// <summary>The test classes that need real storage share one Azurite of this test process (<see cref="AzuriteFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Azurite";
}
