using System;
using System.Threading;

namespace Autodiff;

/// <summary>What a reused buffer must contain when an operation receives it.</summary>
internal enum TensorInit
{
    /// <summary>Anything: the operation overwrites every element.</summary>
    Uninitialized,

    /// <summary>Zeros: the operation accumulates into it.</summary>
    Zeroed,
}

/// <summary>
/// Reuses the buffers of tensors across repetitions of the same sequence of operations, so that
/// a training step allocates nothing after the first one.
/// </summary>
/// <remarks>
/// <para>
/// While a scope from <see cref="Enter"/> is open on a thread, every tensor that an operation,
/// factory or backward rule creates is taken from this workspace: the i-th request since
/// <see cref="Enter"/> reuses the buffer held in slot i when its shape matches (rank and every
/// dimension), and otherwise allocates a new one that replaces the slot. Repeating the same
/// operations on the same shapes therefore allocates nothing.
/// </para>
/// <para>
/// The price is that a tensor created inside a scope is only valid until the workspace is next
/// entered and reaches its slot: then the buffer is handed out again and overwritten. Reading
/// such a stale tensor throws <see cref="InvalidOperationException"/> (the slot alternates
/// between two tensor objects over its buffer and marks the one it did not hand out, so a stale
/// tensor is detected unless it is the very object handed out again, which happens when it is
/// kept across an even number of passes). Create long-lived tensors (model parameters, anything
/// kept across steps) outside any scope, or keep a <see cref="Tensor.Clone"/> made outside one.
/// A batch of a different size gets new buffers for that step (the slots then hold the new
/// shapes), so fixed-size batches keep a loop allocation-free. A workspace belongs to one thread
/// at a time.
/// </para>
/// </remarks>
public sealed class TensorWorkspace
{
    [ThreadStatic]
    private static TensorWorkspace? t_current;

    private static readonly Func<TensorWorkspace> s_create = static () => new TensorWorkspace();

    private Tensor[] _slots = [];
    private Tensor?[] _twins = [];
    private int _slotCount;
    private int _cursor;
    private bool _isOpen;

    /// <summary>The workspace whose scope is innermost on this thread, or <see langword="null"/> outside any scope.</summary>
    public static TensorWorkspace? Current => t_current;

    /// <summary>How many tensors the workspace holds.</summary>
    public int SlotCount => _slotCount;

    /// <summary>
    /// Makes this workspace <see cref="Current"/> and restarts its slot sequence. Dispose the
    /// returned scope (with <c>using</c>) to restore the previous workspace; scopes of different
    /// workspaces nest.
    /// </summary>
    /// <exception cref="InvalidOperationException">A scope of this workspace is already open.</exception>
    public Scope Enter()
    {
        if (_isOpen)
        {
            throw new InvalidOperationException(
                "TensorWorkspace.Enter: this workspace already has an open scope; a nested scope needs a workspace of its own.");
        }
        var scope = new Scope(this, t_current);
        _isOpen = true;
        _cursor = 0;
        t_current = this;
        return scope;
    }

    /// <summary>
    /// For generated code: enters the workspace kept in <paramref name="workspace"/>, creating it on
    /// first use. A re-entrant call (a differentiable method that recurses) finds it open and gets a
    /// fresh workspace for that call instead, so recursion works, at the cost of allocating.
    /// </summary>
    public static Scope EnterCached(ref TensorWorkspace? workspace)
    {
        workspace ??= new TensorWorkspace();
        return workspace._isOpen ? new TensorWorkspace().Enter() : workspace.Enter();
    }

    /// <summary>
    /// For generated instance methods: enters this thread's workspace from
    /// <paramref name="workspaces"/> (one per thread, so that several threads can call the same
    /// method of one object at once), creating them on first use. A re-entrant call on the same
    /// thread gets a fresh workspace, as in <see cref="EnterCached"/>.
    /// </summary>
    public static Scope EnterPerThread(ref ThreadLocal<TensorWorkspace>? workspaces)
    {
        ThreadLocal<TensorWorkspace>? perThread = Volatile.Read(ref workspaces);
        if (perThread is null)
        {
            var created = new ThreadLocal<TensorWorkspace>(s_create);
            perThread = Interlocked.CompareExchange(ref workspaces, created, null);
            if (perThread is null)
            {
                perThread = created;
            }
            else
            {
                created.Dispose();
            }
        }
        TensorWorkspace workspace = perThread.Value!;
        return workspace._isOpen ? new TensorWorkspace().Enter() : workspace.Enter();
    }

    /// <summary>Drops every held tensor, so the next pass allocates afresh (for example after the shapes changed for good).</summary>
    public void Clear()
    {
        Array.Clear(_slots, 0, _slotCount);
        Array.Clear(_twins, 0, _slotCount);
        _slotCount = 0;
        _cursor = 0;
    }

    /// <summary>
    /// The single place where tensor operations get their result tensors: from the current
    /// workspace inside a scope, from the heap outside.
    /// </summary>
    internal static Tensor Allocate(ReadOnlySpan<int> shape, TensorInit init)
    {
        TensorWorkspace? workspace = t_current;
        return workspace is null ? Tensor.CreateUnpooled(shape) : workspace.Next(shape, init);
    }

    private Tensor Next(ReadOnlySpan<int> shape, TensorInit init)
    {
        int index = _cursor++;
        if (index < _slotCount)
        {
            Tensor held = _slots[index];
            if (held.HasShape(shape))
            {
                Tensor issued = held.Recycle(ref _twins[index]);
                if (init == TensorInit.Zeroed)
                {
                    ParallelElementwise.Clear(issued.Values);
                }
                return issued;
            }
        }
        else
        {
            if (index == _slots.Length)
            {
                int grown = Math.Max(16, _slots.Length * 2);
                Array.Resize(ref _slots, grown);
                Array.Resize(ref _twins, grown);
            }
            _slotCount = index + 1;
        }
        // A fresh array is zeroed by the runtime, which satisfies both kinds of request. The
        // tensors over the replaced buffer stay valid: nothing will write to it again.
        Tensor created = Tensor.CreateUnpooled(shape);
        _slots[index] = created;
        _twins[index] = null;
        return created;
    }

    private void Exit(TensorWorkspace? previous)
    {
        _isOpen = false;
        t_current = previous;
    }

    /// <summary>An open scope of a <see cref="TensorWorkspace"/>; disposing it restores the previous workspace.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly TensorWorkspace? _workspace;
        private readonly TensorWorkspace? _previous;

        internal Scope(TensorWorkspace workspace, TensorWorkspace? previous)
        {
            _workspace = workspace;
            _previous = previous;
        }

        /// <summary>
        /// Closes the scope. Disposing it again, or disposing a scope that is not the innermost
        /// one, does nothing.
        /// </summary>
        public void Dispose()
        {
            if (_workspace is not null && ReferenceEquals(t_current, _workspace) && _workspace._isOpen)
            {
                _workspace.Exit(_previous);
            }
        }
    }
}

