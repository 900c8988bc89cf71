using System.Reflection;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsBench.Hosting;

/// <summary>The kind of a durable function.</summary>
public enum DurableFunctionKind
{
    /// <summary>An orchestrator (<see cref="ITaskOrchestrator"/>).</summary>
    Orchestrator,

    /// <summary>An activity (<see cref="ITaskActivity"/>).</summary>
    Activity,

    /// <summary>An entity (<see cref="ITaskEntity"/>).</summary>
    Entity,
}

/// <summary>One durable function: its name (the <c>[Function]</c> name) and the class that implements it.</summary>
public sealed record DurableFunctionEntry(string Name, DurableFunctionKind Kind, Type ImplementationType);

/// <summary>
/// Finds the app's durable functions from its <c>[Function]</c> trigger methods, so that the Functions layer is the
/// only list and every other host (the embedded Durable Task Framework host, the in-process test host) registers
/// exactly what <c>func start</c> would run.
/// </summary>
/// <remarks>
/// Convention: each durable function is a class implementing <see cref="ITaskOrchestrator"/>,
/// <see cref="ITaskActivity"/> or <see cref="ITaskEntity"/> that also declares its own trigger method.
/// A trigger method declared anywhere else is a programming error and is reported, not skipped.
/// </remarks>
public static class DurableCatalog
{
    /// <summary>Every durable function declared in <paramref name="assemblies"/>, ordered by name.</summary>
    public static IReadOnlyList<DurableFunctionEntry> Discover(params Assembly[] assemblies)
    {
        var entries = new List<DurableFunctionEntry>();
        foreach (Type type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function || TriggerKind(method) is not { } kind)
                {
                    continue;
                }

                Type expected = kind switch
                {
                    DurableFunctionKind.Orchestrator => typeof(ITaskOrchestrator),
                    DurableFunctionKind.Activity => typeof(ITaskActivity),
                    _ => typeof(ITaskEntity),
                };
                if (!expected.IsAssignableFrom(type) || type.IsAbstract)
                {
                    throw new InvalidOperationException(
                        $"Durable function '{function.Name}' is declared on {type.FullName}, which does not implement {expected.Name}. " +
                        "Declare each durable trigger on the class that implements it.");
                }

                entries.Add(new DurableFunctionEntry(function.Name, kind, type));
            }
        }

        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The durable functions of this app: those of the libraries the Functions app is made of.</summary>
    public static IReadOnlyList<DurableFunctionEntry> App { get; } =
        Discover(typeof(DurableCatalog).Assembly, typeof(GreeterFunctions.GreeterOrchestration).Assembly, typeof(ShoppingCart.DurableFunctions.CartEntity).Assembly);

    /// <summary>Registers every entry in a Durable Task SDK registry (types are created through dependency injection).</summary>
    public static void AddTo(DurableTaskRegistry registry, IEnumerable<DurableFunctionEntry> entries)
    {
        foreach (DurableFunctionEntry entry in entries)
        {
            switch (entry.Kind)
            {
                case DurableFunctionKind.Orchestrator:
                    registry.AddOrchestrator(entry.Name, entry.ImplementationType);
                    break;
                case DurableFunctionKind.Activity:
                    registry.AddActivity(entry.Name, entry.ImplementationType);
                    break;
                case DurableFunctionKind.Entity:
                    registry.AddEntity(entry.Name, entry.ImplementationType);
                    break;
            }
        }
    }

    /// <summary>Creates an instance of a durable function's class with its dependencies.</summary>
    public static object Create(DurableFunctionEntry entry, IServiceProvider services)
        => ActivatorUtilities.CreateInstance(services, entry.ImplementationType);

    private static DurableFunctionKind? TriggerKind(MethodInfo method)
    {
        foreach (ParameterInfo parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null)
            {
                return DurableFunctionKind.Orchestrator;
            }

            if (parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
            {
                return DurableFunctionKind.Activity;
            }

            if (parameter.GetCustomAttribute<EntityTriggerAttribute>() is not null)
            {
                return DurableFunctionKind.Entity;
            }
        }

        return null;
    }
}
