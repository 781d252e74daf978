using Moderator.Model.Classifier;
using Moderator.Model.Text;

namespace Moderator.Model.Training;

/// <summary>
/// Learns word vectors from the training texts alone (no labels): positive pointwise mutual information of words
/// within a few words of each other, with the context counts smoothed (raised to 0.75), factorised by a seeded
/// randomised truncated SVD; a word's vector is its row of U·√Σ, scaled to unit length (the count-based recipe that
/// Levy, Goldberg and Dagan 2015 found as good as skip-gram at this size). Single-threaded and seeded: the same texts
/// give the same vectors.
/// </summary>
public static class WordVectorTrainer
{
    public sealed record Settings(int Dimensions, int Window = 4, int MinCount = 3, int MaxVocabulary = 30_000, double ContextSmoothing = 0.75, int Oversampling = 16, int PowerIterations = 3);

    public static WordVectors Train(IReadOnlyList<NormalisedText> texts, Settings settings, int seed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(settings);
        var (hashes, sentences) = Vocabulary(texts, settings);
        var vocabulary = hashes.Length;
        var dimensions = settings.Dimensions;
        if (vocabulary == 0)
        {
            return new WordVectors(dimensions, [], []);
        }

        var matrix = PositivePmi(sentences, vocabulary, settings);
        var rank = Math.Min(vocabulary, dimensions + settings.Oversampling);

        // Randomised range finder (Halko, Martinsson and Tropp 2011) with power iterations for a sharper spectrum.
        var random = new Random(seed ^ 0x3EC7);
        var y = new double[vocabulary * rank];
        var omega = new double[vocabulary * rank];
        for (var i = 0; i < omega.Length; i++)
        {
            omega[i] = Gaussian(random);
        }

        matrix.Multiply(omega, rank, y);
        Orthonormalise(y, vocabulary, rank);
        var z = new double[vocabulary * rank];
        for (var q = 0; q < settings.PowerIterations; q++)
        {
            matrix.MultiplyTransposed(y, rank, z);
            Orthonormalise(z, vocabulary, rank);
            matrix.Multiply(z, rank, y);
            Orthonormalise(y, vocabulary, rank);
        }

        // B = Qᵀ M, so B Bᵀ = Qᵀ M Mᵀ Q (rank × rank); its eigenvectors rotate Q into the left singular vectors.
        matrix.MultiplyTransposed(y, rank, z);
        var gram = new double[rank * rank];
        for (var a = 0; a < rank; a++)
        {
            for (var b = a; b < rank; b++)
            {
                double sum = 0;
                for (var i = 0; i < vocabulary; i++)
                {
                    sum += z[i * rank + a] * z[i * rank + b];
                }

                gram[a * rank + b] = sum;
                gram[b * rank + a] = sum;
            }
        }

        var (eigenvalues, eigenvectors) = SymmetricEigen(gram, rank);
        var order = Enumerable.Range(0, rank).OrderByDescending(k => eigenvalues[k]).ThenBy(k => k).Take(Math.Min(dimensions, rank)).ToArray();
        var vectors = new float[vocabulary * dimensions];
        for (var i = 0; i < vocabulary; i++)
        {
            double norm = 0;
            var row = new double[dimensions];
            for (var d = 0; d < order.Length; d++)
            {
                var k = order[d];
                double u = 0;
                for (var a = 0; a < rank; a++)
                {
                    u += y[i * rank + a] * eigenvectors[a * rank + k];
                }

                // σ = √λ, and the vector is U·σ^½.
                row[d] = u * Math.Pow(Math.Max(eigenvalues[k], 0), 0.25);
                norm += row[d] * row[d];
            }

            var scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
            for (var d = 0; d < dimensions; d++)
            {
                // Stored as float16: round now so the vectors trained on equal the ones loaded.
                vectors[i * dimensions + d] = (float)(Half)(row[d] * scale);
            }
        }

        return new WordVectors(dimensions, hashes, vectors);
    }

    /// <summary>The words seen at least MinCount times (the most frequent MaxVocabulary, ties by hash), and every text as word ids (-1 outside).</summary>
    private static (uint[] Hashes, int[][] Sentences) Vocabulary(IReadOnlyList<NormalisedText> texts, Settings settings)
    {
        var hashed = new uint[texts.Count][];
        var counts = new Dictionary<uint, int>();
        for (var t = 0; t < texts.Count; t++)
        {
            var text = texts[t];
            var words = new List<uint>(text.Tokens.Count);
            foreach (var token in text.Tokens)
            {
                if ((token.Shape & TokenShape.Numeric) != 0)
                {
                    continue;
                }

                var hash = Featuriser.WordHash(text.Key(token));
                // 0 and 1 share a slot in the lookup table (0 marks an empty one); keep only 1.
                hash = hash == 0 ? 1u : hash;
                words.Add(hash);
                counts[hash] = counts.GetValueOrDefault(hash) + 1;
            }

            hashed[t] = [.. words];
        }

        var kept = counts.Where(pair => pair.Value >= settings.MinCount)
            .OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key)
            .Take(settings.MaxVocabulary).Select(pair => pair.Key).ToArray();
        var ids = new Dictionary<uint, int>(kept.Length);
        for (var i = 0; i < kept.Length; i++)
        {
            ids[kept[i]] = i;
        }

        var sentences = new int[hashed.Length][];
        for (var t = 0; t < hashed.Length; t++)
        {
            sentences[t] = [.. hashed[t].Select(h => ids.GetValueOrDefault(h, -1))];
        }

        return (kept, sentences);
    }

    /// <summary>Word-by-context counts within the window (both sides, each pair once per occurrence), turned into PPMI.</summary>
    private static SparseMatrix PositivePmi(int[][] sentences, int vocabulary, Settings settings)
    {
        var pairs = new Dictionary<long, double>();
        foreach (var sentence in sentences)
        {
            for (var i = 0; i < sentence.Length; i++)
            {
                var word = sentence[i];
                if (word < 0)
                {
                    continue;
                }

                var end = Math.Min(sentence.Length - 1, i + settings.Window);
                for (var j = i + 1; j <= end; j++)
                {
                    var context = sentence[j];
                    if (context < 0 || context == word)
                    {
                        continue;
                    }

                    var key1 = (long)word * vocabulary + context;
                    var key2 = (long)context * vocabulary + word;
                    pairs[key1] = pairs.GetValueOrDefault(key1) + 1;
                    pairs[key2] = pairs.GetValueOrDefault(key2) + 1;
                }
            }
        }

        var rowSums = new double[vocabulary];
        var contextSums = new double[vocabulary];
        double total = 0;
        foreach (var (key, count) in pairs)
        {
            rowSums[key / vocabulary] += count;
            contextSums[key % vocabulary] += count;
            total += count;
        }

        double smoothedTotal = 0;
        for (var c = 0; c < vocabulary; c++)
        {
            contextSums[c] = Math.Pow(contextSums[c], settings.ContextSmoothing);
            smoothedTotal += contextSums[c];
        }

        var entries = new List<(long Key, double Value)>(pairs.Count);
        foreach (var (key, count) in pairs)
        {
            var row = key / vocabulary;
            var column = key % vocabulary;
            var pmi = Math.Log(count * smoothedTotal / (rowSums[row] * contextSums[column]));
            if (pmi > 0)
            {
                entries.Add((key, pmi));
            }
        }

        entries.Sort((a, b) => a.Key.CompareTo(b.Key));
        return SparseMatrix.FromSortedEntries(entries, vocabulary);
    }

    /// <summary>Modified Gram-Schmidt on the columns of a row-major rows × columns matrix, twice for stability.</summary>
    private static void Orthonormalise(double[] m, int rows, int columns)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            for (var c = 0; c < columns; c++)
            {
                for (var p = 0; p < c; p++)
                {
                    double dot = 0;
                    for (var i = 0; i < rows; i++)
                    {
                        dot += m[i * columns + c] * m[i * columns + p];
                    }

                    for (var i = 0; i < rows; i++)
                    {
                        m[i * columns + c] -= dot * m[i * columns + p];
                    }
                }

                double norm = 0;
                for (var i = 0; i < rows; i++)
                {
                    norm += m[i * columns + c] * m[i * columns + c];
                }

                var scale = norm > 1e-300 ? 1 / Math.Sqrt(norm) : 0;
                for (var i = 0; i < rows; i++)
                {
                    m[i * columns + c] *= scale;
                }
            }
        }
    }

    /// <summary>Cyclic Jacobi rotations on a small symmetric matrix: its eigenvalues and the eigenvectors as columns.</summary>
    internal static (double[] Values, double[] Vectors) SymmetricEigen(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        var v = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            v[i * n + i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diagonal = 0;
            for (var p = 0; p < n; p++)
            {
                diagonal += a[p * n + p] * a[p * n + p];
                for (var q = p + 1; q < n; q++)
                {
                    off += a[p * n + q] * a[p * n + q];
                }
            }

            if (off <= 1e-24 * Math.Max(diagonal, 1e-300))
            {
                break;
            }

            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[p * n + q];
                    if (apq == 0)
                    {
                        continue;
                    }

                    var theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k * n + p];
                        var akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p * n + k];
                        var aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k * n + p];
                        var vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[i * n + i];
        }

        return (values, v);
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm finite.
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A square sparse matrix in compressed rows.</summary>
    private sealed class SparseMatrix(int size, int[] rowStarts, int[] columns, double[] values)
    {
        public static SparseMatrix FromSortedEntries(List<(long Key, double Value)> entries, int size)
        {
            var rowStarts = new int[size + 1];
            var columns = new int[entries.Count];
            var values = new double[entries.Count];
            for (var k = 0; k < entries.Count; k++)
            {
                var row = (int)(entries[k].Key / size);
                rowStarts[row + 1]++;
                columns[k] = (int)(entries[k].Key % size);
                values[k] = entries[k].Value;
            }

            for (var r = 0; r < size; r++)
            {
                rowStarts[r + 1] += rowStarts[r];
            }

            return new SparseMatrix(size, rowStarts, columns, values);
        }

        /// <summary>output (size × width) = this · input (size × width), both row-major.</summary>
        public void Multiply(double[] input, int width, double[] output)
        {
            Array.Clear(output);
            for (var r = 0; r < size; r++)
            {
                var target = output.AsSpan(r * width, width);
                for (var k = rowStarts[r]; k < rowStarts[r + 1]; k++)
                {
                    AddScaled(values[k], input.AsSpan(columns[k] * width, width), target);
                }
            }
        }

        /// <summary>output (size × width) = thisᵀ · input (size × width), both row-major.</summary>
        public void MultiplyTransposed(double[] input, int width, double[] output)
        {
            Array.Clear(output);
            for (var r = 0; r < size; r++)
            {
                var source = input.AsSpan(r * width, width);
                for (var k = rowStarts[r]; k < rowStarts[r + 1]; k++)
                {
                    AddScaled(values[k], source, output.AsSpan(columns[k] * width, width));
                }
            }
        }

        private static void AddScaled(double value, ReadOnlySpan<double> source, Span<double> target)
        {
            for (var c = 0; c < target.Length; c++)
            {
                target[c] += value * source[c];
            }
        }
    }
}
