namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Objects admins create in a tenant (groups, mail users, retention policies), each in a slot it keeps for good: its
/// ordinal is its slot, so paging and the other objects never move, and a removed object stays in its slot marked
/// removed. Guarded by the tenant state's lock, so a change to one is one whole update.
/// </summary>
internal sealed class ObjectSlots<T>(Lock sync, Func<T, bool> isRemoved)
    where T : class
{
    private readonly List<T> _items = [];

    /// <summary>The objects not removed, in slot order.</summary>
    public IReadOnlyList<T> Live
    {
        get
        {
            lock (sync)
            {
                return _items.Where(item => !isRemoved(item)).ToArray();
            }
        }
    }

    /// <summary>Adds the object <paramref name="create"/> makes for the next slot.</summary>
    public T Add(Func<int, T> create)
    {
        lock (sync)
        {
            var item = create(_items.Count);
            _items.Add(item);
            return item;
        }
    }

    /// <summary>Empties every slot: only while a tenant is seeded, before anything refers to an ordinal.</summary>
    public void Clear()
    {
        lock (sync)
        {
            _items.Clear();
        }
    }

    public T Update(int ordinal, Func<T, T> change)
    {
        lock (sync)
        {
            return _items[ordinal] = change(_items[ordinal]);
        }
    }
}
