using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace ExoAdmin.Engine.Operations;

/// <summary>Reshapes each output object on its way to the pipeline (e.g. one permission entity → one object per entry).</summary>
internal sealed class TransformingSink : IOperationSink
{
    private readonly IOperationSink _inner;
    private readonly Func<PSObject, IEnumerable<PSObject>> _transform;

    public TransformingSink(IOperationSink inner, Func<PSObject, IEnumerable<PSObject>> transform)
    {
        _inner = inner;
        _transform = transform;
    }

    public void WriteObject(object value)
    {
        foreach (var item in _transform((PSObject)value))
        {
            _inner.WriteObject(item);
        }
    }

    public void WriteError(ErrorRecord error) => _inner.WriteError(error);

    public void WriteWarning(string message) => _inner.WriteWarning(message);

    public void WriteVerbose(string message) => _inner.WriteVerbose(message);

    public void WriteDebug(string message) => _inner.WriteDebug(message);

    public void WriteHost(string message) => _inner.WriteHost(message);

    public void WriteProgress(ProgressRecord record) => _inner.WriteProgress(record);
}
