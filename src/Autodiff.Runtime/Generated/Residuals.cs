using System;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// What the forward passes of differentiable callees leave for their backward passes, when a
/// caller runs the two apart (split mode): the caller's forward pass calls <c>GForwardPass</c>,
/// which computes G's value and saves here what G's backward pass reads; the caller's backward pass
/// later calls <c>GBackwardPass</c>, which takes those values back instead of running G again.
/// Last in, first out, across all callees and their own callees: the backward pass makes the calls
/// in the reverse order of the forward pass.
/// </summary>
/// <remarks>
/// One object per thread is reused (<see cref="Rent"/>, <see cref="Return"/>), keeping its storage, so
/// steady-state calls allocate nothing. It is not a tape: only values are saved, never operations.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Residuals
{
    // Storage above this many elements is given back to the pool after each call rather than kept
    // by the thread: a single large call should not pin memory for the thread's lifetime.
    private const int KeptCapacity = 1 << 20;

    [ThreadStatic] private static Residuals? t_spare;

    /// <summary>Saved doubles.</summary>
    public SaveStack<double> Doubles;

    /// <summary>Saved floats.</summary>
    public SaveStack<float> Floats;

    /// <summary>Saved ints (indexes, counts).</summary>
    public SaveStack<int> Ints;

    /// <summary>Saved longs.</summary>
    public SaveStack<long> Longs;

    /// <summary>Saved branch outcomes.</summary>
    public SaveStack<bool> Bools;

    private Dictionary<Type, IOtherStack>? _others;

    // How large each stack grew: storage given back after a large call is rented again at that
    // size by the next, rather than grown by doubling and copying on every call.
    private readonly SaveStackCapacity _doubles = new(), _floats = new(), _ints = new(), _longs = new(), _bools = new();

    private Residuals()
    {
        Doubles = new SaveStack<double>(_doubles);
        Floats = new SaveStack<float>(_floats);
        Ints = new SaveStack<int>(_ints);
        Longs = new SaveStack<long>(_longs);
        Bools = new SaveStack<bool>(_bools);
    }

    /// <summary>This thread's spare object, or a new one when it is in use (a gradient taken inside a gradient).</summary>
    public static Residuals Rent()
    {
        Residuals? spare = t_spare;
        if (spare is null)
        {
            return new Residuals();
        }
        t_spare = null;
        // Storage given back after a large call: rented again at the size it grew to.
        Ready(ref spare.Doubles, spare._doubles);
        Ready(ref spare.Floats, spare._floats);
        Ready(ref spare.Ints, spare._ints);
        Ready(ref spare.Longs, spare._longs);
        Ready(ref spare.Bools, spare._bools);
        return spare;
    }

    /// <summary>The stack for values of any other type (arrays, user structs).</summary>
    public ref SaveStack<T> Of<T>()
    {
        _others ??= new Dictionary<Type, IOtherStack>();
        if (!_others.TryGetValue(typeof(T), out IOtherStack? other))
        {
            _others[typeof(T)] = other = new OtherStack<T>();
        }
        var stack = (OtherStack<T>)other;
        stack.Ready();
        return ref stack.Stack;
    }

    /// <summary>
    /// Checks that every value saved was taken back, then keeps the object for the thread's next call.
    /// A value left over means a forward pass saved for a backward pass that never ran: the generated
    /// code is wrong, and the gradient with it, so this throws rather than return it.
    /// </summary>
    public void Return()
    {
        int left = Doubles.Count + Floats.Count + Ints.Count + Longs.Count + Bools.Count;
        if (_others is not null)
        {
            foreach (IOtherStack other in _others.Values)
            {
                left += other.Count;
            }
        }
        Trim(ref Doubles);
        Trim(ref Floats);
        Trim(ref Ints);
        Trim(ref Longs);
        Trim(ref Bools);
        if (_others is not null)
        {
            // References are not kept alive between calls: the storage goes back to the pool, cleared.
            // The stacks themselves stay, remembering how large they grew, so that the next call
            // neither allocates them again nor grows them by doubling.
            foreach (IOtherStack other in _others.Values)
            {
                other.Release();
            }
        }
        if (left != 0)
        {
            throw new InvalidOperationException(
                $"Split-mode residuals left over: {left} value(s) saved by a callee's forward pass were never read by its backward pass. This is a bug in Autodiff's generated code; please report it.");
        }
        t_spare = this;
    }

    private static void Ready<T>(ref SaveStack<T> stack, SaveStackCapacity capacity)
    {
        if (stack.Capacity == 0 && capacity.Capacity > 0)
        {
            stack = new SaveStack<T>(capacity);
        }
    }

    private static void Trim<T>(ref SaveStack<T> stack)
    {
        if (stack.Capacity > KeptCapacity || stack.Count != 0)
        {
            stack.Dispose();
        }
    }

    private interface IOtherStack
    {
        int Count { get; }

        void Release();
    }

    private sealed class OtherStack<T> : IOtherStack
    {
        private readonly SaveStackCapacity _capacity = new();

        public SaveStack<T> Stack;

        public OtherStack() => Stack = new SaveStack<T>(_capacity);

        public int Count => Stack.Count;

        /// <summary>Storage again after a release, at the size the stack last grew to.</summary>
        public void Ready()
        {
            if (Stack.Capacity == 0)
            {
                Stack = new SaveStack<T>(_capacity);
            }
        }

        public void Release() => Stack.Dispose();
    }
}
