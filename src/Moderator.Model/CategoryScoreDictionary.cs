using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Moderator.Model;

/// <summary>A score for every category, held in one small array (one allocation per assessment, not a dictionary).</summary>
public sealed class CategoryScoreDictionary : IReadOnlyDictionary<Category, double>
{
    private readonly double[] _scores = new double[Categories.All.Count];

    public double this[Category key]
    {
        get => _scores[(int)key];
        set => _scores[(int)key] = value;
    }

    public IEnumerable<Category> Keys => Categories.All;

    public IEnumerable<double> Values => _scores;

    public int Count => _scores.Length;

    public bool ContainsKey(Category key) => (uint)key < (uint)_scores.Length;

    public bool TryGetValue(Category key, [MaybeNullWhen(false)] out double value)
    {
        if (ContainsKey(key))
        {
            value = _scores[(int)key];
            return true;
        }

        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<Category, double>> GetEnumerator()
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            yield return new KeyValuePair<Category, double>((Category)i, _scores[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
