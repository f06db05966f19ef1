using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>The pieces of one fan-out: an item and its buffered output, and the failure that surfaces at its turn.</summary>
internal sealed partial class OrderedFanOut
{
    /// <summary>One item: its engine work, and the output it has not yet had written.</summary>
    private sealed class Item : DeferredCmdletSink
    {
        private volatile bool _dropped;

        public Item(string? target, Action? done, bool showProgress)
            : base(showProgress)
        {
            Target = target;
            Done = done;
        }

        public BlockingCollection<Action<Cmdlet>> Queue { get; } = new(ItemCapacity);

        public Task? Task { get; set; }

        public string? Target { get; }

        public Action? Done { get; }

        /// <summary>The first non-terminating error's message, for the report of a change run cut short.</summary>
        public string? FirstError { get; private set; }

        /// <summary>Its change was sent and its answer lost: it reported itself as ExoChangeOutcomeUnknown.</summary>
        public bool ReportedUnknown { get; private set; }

        /// <summary>Its output will never be written: stop taking it, so its work cannot block on a full buffer.</summary>
        public void Drop()
        {
            _dropped = true;
            while (Queue.TryTake(out _))
            {
            }
        }

        public override void WriteError(ErrorRecord error)
        {
            FirstError ??= error.Exception?.Message;
            ReportedUnknown |= error.Exception is ExoChangeOutcomeUnknownException;
            base.WriteError(error);
        }

        protected override void Post(Action<Cmdlet> write)
        {
            if (_dropped)
            {
                return;
            }

            // Waits while this item's buffer is full (it is not the oldest yet); a dropped item's buffer keeps being emptied.
            while (!Queue.TryAdd(write, 50))
            {
                if (_dropped)
                {
                    return;
                }
            }

            if (_dropped)
            {
                Drop();
            }
        }
    }

    /// <summary>An item's work failed; thrown on the pipeline thread when that item's turn came.</summary>
    private sealed class ItemFailedException : Exception
    {
        public ItemFailedException(Item item, Exception failure) : base(failure.Message, failure)
        {
            Item = item;
            Failure = failure;
        }

        public Item Item { get; }

        public Exception Failure { get; }

        public List<string> Warnings { get; } = new();
    }
}
