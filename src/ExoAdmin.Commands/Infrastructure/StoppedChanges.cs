using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// What a stopped pipeline (Ctrl+C) left of a cmdlet's changes, told to the admin in one warning naming every identity:
/// changes sent and unanswered (their ExoChangeOutcomeUnknown errors, which also go into $Error), changes answered
/// whose output the stop dropped, and changes never sent. PowerShell refuses a stopped pipeline's writes to its streams,
/// so the warning goes to the warning stream while the cmdlet may still write there, and to the host otherwise.
/// </summary>
internal sealed class StoppedChanges
{
    private readonly ConcurrentDictionary<ErrorRecord, bool> _unknown = new(); // record → written to the pipeline
    private readonly ConcurrentQueue<string> _answered = new();
    private readonly ConcurrentQueue<string> _notSent = new();
    private int _reported;

    /// <summary>An engine write of an unknown outcome (any thread), before it waits for the pipeline thread.</summary>
    public void NoteUnknown(ErrorRecord record) => _unknown.TryAdd(record, false);

    /// <summary>The pipeline really wrote it: the admin has it already.</summary>
    public void Written(ErrorRecord record)
    {
        if (_unknown.ContainsKey(record))
        {
            _unknown[record] = true;
        }
    }

    /// <summary>A change the service answered (applied, or refused with an error) whose output the stop dropped.</summary>
    public void Answered(string target, string? error) => _answered.Enqueue(error is null ? $"'{target}'" : $"'{target}' (failed: {error})");

    /// <summary>A change cancelled before any of it left.</summary>
    public void NotSent(string target) => _notSent.Enqueue($"'{target}'");

    /// <summary>Tells the admin, once, if anything is left to tell.</summary>
    public void Report(PSCmdlet cmdlet)
    {
        var unknown = _unknown.Where(entry => !entry.Value).Select(entry => entry.Key).ToList();
        if ((unknown.Count == 0 && _answered.IsEmpty && _notSent.IsEmpty) || System.Threading.Interlocked.Exchange(ref _reported, 1) == 1)
        {
            return;
        }

        var text = Describe(cmdlet.MyInvocation.MyCommand.Name, unknown);
        RecordInErrorVariable(cmdlet, unknown);
        try
        {
            cmdlet.WriteWarning(text);
        }
        catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or NotImplementedException or NullReferenceException)
        {
            // The pipeline refuses writes now (its teardown): the host still shows it.
            cmdlet.Host?.UI?.WriteWarningLine(text);
        }
    }

    private string Describe(string cmdletName, List<ErrorRecord> unknown)
    {
        var parts = new List<string> { $"The pipeline was stopped while {cmdletName} changes were in flight." };
        if (unknown.Count > 0)
        {
            var names = unknown.Select(r => r.Exception is ExoChangeOutcomeUnknownException u ? $"'{u.Identity ?? u.CmdletName}'" : $"'{r.TargetObject}'");
            parts.Add($"The outcome of {string.Join(", ", names)} is unknown (sent, no answer before the stop; each is an ExoChangeOutcomeUnknown error in $Error): check them before running the command for them again.");
        }

        if (!_answered.IsEmpty)
        {
            parts.Add($"Answered by the service before the stop, their output not written: {string.Join(", ", _answered)}.");
        }

        if (!_notSent.IsEmpty)
        {
            parts.Add($"Not sent: {string.Join(", ", _notSent)}.");
        }

        return string.Join(" ", parts);
    }

    /// <summary>The unknown outcomes go into $Error, where a script or the admin looks after the fact, newest first.</summary>
    private static void RecordInErrorVariable(PSCmdlet cmdlet, List<ErrorRecord> unknown)
    {
        if (unknown.Count == 0 || cmdlet.SessionState?.PSVariable.GetValue("global:Error") is not ArrayList errors)
        {
            return;
        }

        lock (errors.SyncRoot)
        {
            foreach (var record in unknown)
            {
                errors.Insert(0, record);
            }
        }
    }
}
