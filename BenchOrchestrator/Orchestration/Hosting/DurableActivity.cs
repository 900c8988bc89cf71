namespace FunctionsBench.Hosting;

/// <summary>
/// An activity that both hosts can run: the Functions trigger calls <see cref="ExecuteAsync"/> with its bound input,
/// the Durable Task hosts call <see cref="RunAsync"/>. The activities of this app need nothing from the activity context.
/// </summary>
public abstract class DurableActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
{
    /// <inheritdoc/>
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input)
        => this.ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work.</summary>
    public abstract Task<TOutput> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}
