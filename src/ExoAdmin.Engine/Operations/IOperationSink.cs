using System.Management.Automation;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// Where engine work sends its output. The cmdlet layer implements it with a queue drained by
/// the pipeline thread, so only that thread ever writes to PowerShell. Calls may block while the
/// consumer is behind: that back-pressure is what keeps memory flat on long reads.
/// </summary>
public interface IOperationSink
{
    void WriteObject(object value);

    void WriteError(ErrorRecord error);

    void WriteWarning(string message);

    void WriteVerbose(string message);

    void WriteDebug(string message);

    /// <summary>
    /// Progress of long reads (count, rate, page). The cmdlet layer drops it in non-interactive hosts
    /// and for connections made with -ShowProgress:$false, so the engine reports it unconditionally.
    /// </summary>
    void WriteProgress(ProgressRecord record);

    /// <summary>Text for the person at the console (banners, device codes): the Information stream, shown by the host.</summary>
    void WriteHost(string message);
}
