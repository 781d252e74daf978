namespace Moderator.Model.Classifier;

/// <summary>A sparse feature vector: sorted-free (index, value) pairs without duplicates.</summary>
public sealed class SparseVector
{
    public SparseVector(int[] indices, float[] values)
    {
        Indices = indices;
        Values = values;
    }

    public int[] Indices { get; }

    public float[] Values { get; }

    public int Count => Indices.Length;
}
