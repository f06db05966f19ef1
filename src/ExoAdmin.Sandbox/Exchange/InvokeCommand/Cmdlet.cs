using System.Text.Json;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// A classic cmdlet the sandbox models, by its catalogue name. The catalogue decides its parameters, and InvokeCommand
/// binds them before the cmdlet runs (<see cref="CmdletParameters"/>); a cmdlet reads (<see cref="IReadCmdlet"/>) or
/// changes state (<see cref="IChangeCmdlet"/>), as <see cref="ManagementRoles.ChangesState"/> says of its verb.
/// </summary>
internal interface ICmdlet
{
    string Name { get; }
}

/// <summary>A cmdlet that only reads. Validation and identity resolution happen in <see cref="Invoke"/>; the output may be lazy.</summary>
internal interface IReadCmdlet : ICmdlet
{
    /// <exception cref="ExchangeErrorException">The invocation fails as a whole.</exception>
    CmdletResult Invoke(CmdletContext context);
}

/// <summary>
/// A cmdlet that changes state, in two steps so that -WhatIf and -Confirm can be answered from the first alone:
/// <see cref="Plan"/> validates everything and resolves every identity without changing anything, and the plan's
/// <see cref="PlannedChange.Apply"/> makes the change.
/// </summary>
internal interface IChangeCmdlet : ICmdlet
{
    /// <exception cref="ExchangeErrorException">The change cannot be made (nothing was changed).</exception>
    PlannedChange Plan(CmdletContext context);
}

/// <summary>A validated change: what it would do, in the words of @adminapi.confirmationmessage, and how to do it.</summary>
internal sealed record PlannedChange(string ConfirmationMessage, Func<CmdletResult> Apply);

/// <param name="Continuation">Where this page starts; cmdlets skip output before it.</param>
internal sealed record CmdletContext(SandboxTenant Tenant, CmdletParameters Parameters, ContinuationToken Continuation);

/// <summary>One output object of a cmdlet, written as an Exchange.GenericHashTable.</summary>
internal interface ICmdletOutput
{
    /// <summary>Its position in the cmdlet's stable output order, where a next page can resume.</summary>
    int Ordinal { get; }

    void WriteTo(Utf8JsonWriter writer);
}

/// <summary>A cmdlet's output objects and the warnings to send as @adminapi.warnings.</summary>
internal sealed class CmdletResult
{
    private const string DefaultLimitWarning =
        "By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\". Be aware that, depending on the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don't recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.";

    private const string LimitWarning =
        "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.";

    private CmdletResult()
    {
    }

    public IEnumerable<ICmdletOutput> Output { get; private set; } = [];

    /// <summary>Filled as output is enumerated: read it after writing the output.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The output of a change, or of a small read: written whole, with the warnings given.</summary>
    public static CmdletResult Of(IEnumerable<ICmdletOutput> output, params string[] warnings)
    {
        var result = new CmdletResult { Output = output };
        result.Warnings.AddRange(warnings);
        return result;
    }

    /// <summary>
    /// Output cut at ResultSize over all pages (<paramref name="alreadyReturned"/> went out on earlier pages), with
    /// Exchange's warning when more objects existed than ResultSize allowed.
    /// </summary>
    public static CmdletResult Limited(IEnumerable<ICmdletOutput> output, ResultSize resultSize, int alreadyReturned)
    {
        var result = new CmdletResult();
        result.Output = resultSize.Limit is { } limit
            ? result.Take(output, limit - alreadyReturned, resultSize.IsDefault ? DefaultLimitWarning : LimitWarning)
            : output;
        return result;
    }

    private IEnumerable<ICmdletOutput> Take(IEnumerable<ICmdletOutput> output, long remaining, string warning)
    {
        using var enumerator = output.GetEnumerator();
        for (var i = 0L; i < remaining; i++)
        {
            if (!enumerator.MoveNext())
            {
                yield break;
            }

            yield return enumerator.Current;
        }

        if (enumerator.MoveNext())
        {
            Warnings.Add(warning);
        }
    }
}

/// <summary>-ResultSize: a number or Unlimited (null <see cref="Limit"/>); <see cref="IsDefault"/> when the caller gave none.</summary>
internal readonly record struct ResultSize(long? Limit, bool IsDefault)
{
    /// <summary>Classic Get- cmdlets return 1000 objects unless told otherwise.</summary>
    public static ResultSize Default => new(1000, IsDefault: true);
}
