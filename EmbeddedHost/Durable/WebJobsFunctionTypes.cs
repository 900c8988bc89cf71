using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Turns the app's durable functions into WebJobs functions: one static method per catalog entry, with the
/// <c>[FunctionName]</c> and the trigger attribute the Durable Functions extension binds, whose body hands the trigger
/// value to a <see cref="DurableFunctionInvoker"/>. This is how the Functions host itself binds a worker's functions
/// (it generates a type from the function metadata); the methods are generated because WebJobs finds functions only
/// as attributed methods, and the catalog, not a hand-written list, names them.
/// </summary>
/// <remarks>
/// The generated type also has <see cref="ClientInfoFunction"/>: a function with a <c>[DurableClient] string</c>
/// parameter, which is what an isolated worker's <c>[DurableClient]</c> binding receives (the extension's local gRPC
/// endpoint, the task hub, the query string its management URIs need).
/// </remarks>
public static class WebJobsFunctionTypes
{
    /// <summary>The generated function that receives the isolated-worker client binding.</summary>
    public const string ClientInfoFunction = "FunctionsBench-ClientInfo";

    /// <summary>The static field of the generated type that holds its invoker.</summary>
    private const string InvokerField = "Invoker";

    /// <summary>
    /// A new type whose methods are the WebJobs functions of <paramref name="functions"/>, each calling
    /// <paramref name="invoker"/>. Every call creates a separate dynamic assembly, so hosts in one process stay apart.
    /// </summary>
    public static Type Create(IEnumerable<DurableFunctionEntry> functions, DurableFunctionInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(invoker);
        string name = $"FunctionsBench.Embedded.Functions{Guid.NewGuid():N}";
        ModuleBuilder module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.RunAndCollect).DefineDynamicModule(name);
        TypeBuilder type = module.DefineType(name + ".DurableFunctions", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);
        FieldBuilder field = type.DefineField(InvokerField, typeof(DurableFunctionInvoker), FieldAttributes.Public | FieldAttributes.Static);

        foreach (DurableFunctionEntry function in functions)
        {
            (Type trigger, Type returns, string target) = function.Kind switch
            {
                DurableFunctionKind.Orchestrator => (ExtensionInternals.TriggerAttribute(DurableFunctionKind.Orchestrator), typeof(string), nameof(DurableFunctionInvoker.RunOrchestrator)),
                DurableFunctionKind.Entity => (ExtensionInternals.TriggerAttribute(DurableFunctionKind.Entity), typeof(Task<string>), nameof(DurableFunctionInvoker.RunEntityAsync)),
                DurableFunctionKind.Activity => (ExtensionInternals.TriggerAttribute(DurableFunctionKind.Activity), typeof(Task<object?>), nameof(DurableFunctionInvoker.RunActivityAsync)),
                _ => throw new ArgumentOutOfRangeException(nameof(functions), function.Kind, $"Durable function '{function.Name}' has an unknown kind."),
            };
            DefineForwarder(type, field, function.Name, trigger, returns, typeof(DurableFunctionInvoker).GetMethod(target)!, withInstanceId: function.Kind == DurableFunctionKind.Activity);
        }

        DefineClientInfo(type, field);
        Type created = type.CreateType();
        created.GetField(InvokerField)!.SetValue(null, invoker);
        return created;
    }

    /// <summary>
    /// <c>public static R Name([Trigger] string input) => Invoker.Target("Name", input);</c>; activities also take the
    /// trigger's <c>instanceId</c> binding data, as an isolated worker's activity context carries it.
    /// </summary>
    private static void DefineForwarder(TypeBuilder type, FieldInfo invoker, string name, Type trigger, Type returns, MethodInfo target, bool withInstanceId)
    {
        Type[] parameters = withInstanceId ? [typeof(string), typeof(string)] : [typeof(string)];
        MethodBuilder method = type.DefineMethod(MethodName(name), MethodAttributes.Public | MethodAttributes.Static, returns, parameters);
        method.SetCustomAttribute(Attribute<FunctionNameAttribute>(name));
        method.DefineParameter(1, ParameterAttributes.None, "input").SetCustomAttribute(Attribute(trigger));
        if (withInstanceId)
        {
            method.DefineParameter(2, ParameterAttributes.None, "instanceId");
        }

        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Ldsfld, invoker);
        il.Emit(OpCodes.Ldstr, name);
        il.Emit(OpCodes.Ldarg_0);
        if (withInstanceId)
        {
            il.Emit(OpCodes.Ldarg_1);
        }

        il.Emit(OpCodes.Callvirt, target);
        il.Emit(OpCodes.Ret);
    }

    /// <summary><c>[NoAutomaticTrigger] public static void ClientInfo([DurableClient] string info) => Invoker.ReceiveClientInfo(info);</c></summary>
    private static void DefineClientInfo(TypeBuilder type, FieldInfo invoker)
    {
        MethodBuilder method = type.DefineMethod("ClientInfo", MethodAttributes.Public | MethodAttributes.Static, typeof(void), [typeof(string)]);
        method.SetCustomAttribute(Attribute<FunctionNameAttribute>(ClientInfoFunction));
        method.SetCustomAttribute(Attribute(typeof(NoAutomaticTriggerAttribute)));
        method.DefineParameter(1, ParameterAttributes.None, "info").SetCustomAttribute(Attribute(ExtensionInternals.ClientAttribute));
        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Ldsfld, invoker);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Callvirt, typeof(DurableFunctionInvoker).GetMethod(nameof(DurableFunctionInvoker.ReceiveClientInfo))!);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>A valid method name for a function name (function names may hold characters identifiers may not).</summary>
    private static string MethodName(string functionName)
        => new(functionName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static CustomAttributeBuilder Attribute(Type attribute)
        => new(attribute.GetConstructor(Type.EmptyTypes) ?? throw new InvalidOperationException($"{attribute.Name} has no parameterless constructor."), []);

    private static CustomAttributeBuilder Attribute<T>(string argument)
        where T : Attribute
        => new(typeof(T).GetConstructor([typeof(string)]) ?? throw new InvalidOperationException($"{typeof(T).Name} takes no string."), [argument]);
}
