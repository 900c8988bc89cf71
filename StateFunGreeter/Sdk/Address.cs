namespace FunctionsBench.StateFun;

/// <summary>The address of one function instance: its function type and an id.</summary>
/// <param name="Type">The function type, e.g. <c>greeter.fns/user</c>.</param>
/// <param name="Id">The instance id, e.g. a user id.</param>
public sealed record Address(TypeName Type, string Id)
{
    /// <inheritdoc />
    public override string ToString() => string.Concat(Type.FullName, "/", Id);

    internal Protocol.Address ToProto() => new() { Namespace = Type.Namespace, Type = Type.Name, Id = Id };
}
