using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Moderator.Model.Detection;

namespace Moderator.Model.Classifier;

/// <summary>
/// The versioned binary model file. Layout (little-endian, BinaryWriter strings):
/// magic "MODRMODL", format version, model version, training-data SHA-256, example count, feature settings,
/// training settings, head names with bias and Platt A/B, lexicon files (name, text), IDF per bucket (float16),
/// from format 4 the word vectors (count, word hashes, values as float16), weights feature-major (float16), then a SHA-256 of everything before it. No timestamps: the same data and
/// seed give the same bytes.
/// </summary>
public static class ModelFile
{
    public const string FileName = "moderation-model.bin";

    private static readonly byte[] Magic = "MODRMODL"u8.ToArray();

    public static void Write(Stream stream, ModelHeader header, LexiconSet lexicons, float[] idf, LinearClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(lexicons);
        ArgumentNullException.ThrowIfNull(idf);
        ArgumentNullException.ThrowIfNull(classifier);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(header.FormatVersion);
            writer.Write(header.Version);
            writer.Write(header.TrainingDataSha256);
            writer.Write(header.TrainingExamples);
            var f = header.Features;
            writer.Write(f.HashBits);
            writer.Write(f.WordNgramMax);
            writer.Write(f.CharNgramMin);
            writer.Write(f.CharNgramMax);
            if (header.FormatVersion >= 4)
            {
                writer.Write(f.EmbeddingDimensions);
            }

            if (header.FormatVersion >= 5)
            {
                writer.Write(f.EmbeddingMaxPooling);
            }

            if ((header.FormatVersion < 4 && f.EmbeddingDimensions != 0) || (header.FormatVersion < 5 && f.EmbeddingMaxPooling))
            {
                throw new InvalidOperationException($"Format {header.FormatVersion} cannot hold word vectors.");
            }

            writer.Write(FeatureSettings.DetectorFeatures);
            var t = header.Training;
            writer.Write(t.Seed);
            writer.Write(t.Epochs);
            writer.Write(t.L2);
            writer.Write(t.LearningRate);
            writer.Write(t.CalibrationFolds);
            writer.Write(t.SchoolWeight);
            writer.Write(t.PublicNegativeWeight);
            writer.Write(t.CleanWeight);
            writer.Write(LinearClassifier.HeadCount);
            for (var h = 0; h < LinearClassifier.HeadCount; h++)
            {
                writer.Write(LinearClassifier.HeadNames[h]);
                writer.Write(classifier.Bias[h]);
                writer.Write(classifier.Calibration[h].A);
                writer.Write(classifier.Calibration[h].B);
            }

            writer.Write(lexicons.Files.Count);
            foreach (var (name, text) in lexicons.Files)
            {
                writer.Write(name);
                writer.Write(text);
            }

            WriteHalves(writer, idf);
            if (header.FormatVersion >= 4)
            {
                var vectors = classifier.Featuriser.WordVectors;
                writer.Write(vectors?.Count ?? 0);
                foreach (var hash in vectors?.Hashes ?? [])
                {
                    writer.Write(hash);
                }

                WriteHalves(writer, vectors?.Vectors ?? []);
            }

            WriteHalves(writer, classifier.Weights);
        }

        var bytes = buffer.ToArray();
        stream.Write(bytes);
        stream.Write(SHA256.HashData(bytes));
    }

    public static ModerationModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = ReadAll(stream);

        if (bytes.Length < Magic.Length + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a moderation model file.");
        }

        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
        {
            throw new InvalidDataException("The model file is damaged (checksum mismatch).");
        }

        var bodyStream = new MemoryStream(bytes, 0, bytes.Length - 32, writable: false);
        using var reader = new BinaryReader(bodyStream, Encoding.UTF8);
        reader.ReadBytes(Magic.Length);
        var formatVersion = reader.ReadInt32();
        if (formatVersion is < 1 or > ModelHeader.CurrentFormatVersion)
        {
            throw new InvalidDataException($"Model file format {formatVersion} is not supported (expected {ModelHeader.CurrentFormatVersion}).");
        }

        var version = reader.ReadString();
        var dataHash = reader.ReadString();
        var examples = reader.ReadInt32();
        var features = new FeatureSettings(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), formatVersion >= 4 ? reader.ReadInt32() : 0,
            formatVersion >= 5 && reader.ReadBoolean());
        features.Validate();
        if (reader.ReadInt32() != FeatureSettings.DetectorFeatures)
        {
            throw new InvalidDataException("The model file was built with a different set of detector features.");
        }

        var training = new TrainingSettings(reader.ReadInt32(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadDouble(),
            formatVersion >= 2 ? reader.ReadDouble() : 0, formatVersion >= 3 ? reader.ReadDouble() : 1);
        if (reader.ReadInt32() != LinearClassifier.HeadCount)
        {
            throw new InvalidDataException("The model file has a different number of heads.");
        }

        var bias = new float[LinearClassifier.HeadCount];
        var calibration = new PlattScaling[LinearClassifier.HeadCount];
        for (var h = 0; h < LinearClassifier.HeadCount; h++)
        {
            var name = reader.ReadString();
            if (name != LinearClassifier.HeadNames[h])
            {
                throw new InvalidDataException($"Head {h} is '{name}', expected '{LinearClassifier.HeadNames[h]}'.");
            }

            bias[h] = reader.ReadSingle();
            calibration[h] = new PlattScaling(reader.ReadDouble(), reader.ReadDouble());
        }

        var fileCount = reader.ReadInt32();
        var files = new List<KeyValuePair<string, string>>(fileCount);
        for (var i = 0; i < fileCount; i++)
        {
            files.Add(new(reader.ReadString(), reader.ReadString()));
        }

        var idf = ReadHalves(reader, bytes, bodyStream, features.Buckets);
        WordVectors? wordVectors = null;
        if (formatVersion >= 4)
        {
            var words = reader.ReadInt32();
            if (words < 0 || words > (bodyStream.Length - bodyStream.Position) / 4)
            {
                throw new InvalidDataException("The model file is truncated.");
            }

            var hashes = new uint[words];
            for (var i = 0; i < words; i++)
            {
                hashes[i] = reader.ReadUInt32();
            }

            var vectors = ReadHalves(reader, bytes, bodyStream, words * features.EmbeddingDimensions);
            wordVectors = features.EmbeddingDimensions > 0 ? new WordVectors(features.EmbeddingDimensions, hashes, vectors) : null;
        }

        var weights = ReadHalves(reader, bytes, bodyStream, features.Dimensions * LinearClassifier.HeadCount);
        var header = new ModelHeader(formatVersion, version, dataHash, examples, features, training);
        var classifier = new LinearClassifier(new Featuriser(features, idf, wordVectors), weights, bias, calibration);
        return new ModerationModel(LexiconSet.Parse(files), classifier, header);
    }

    private static void WriteHalves(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2, 2), (Half)values[i]);
        }

        writer.Write(bytes);
    }

    /// <summary>The whole stream in one array: read straight into it when the length is known (a file), else copied.</summary>
    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek)
        {
            var remaining = stream.Length - stream.Position;
            if (remaining is >= 0 and <= int.MaxValue)
            {
                var bytes = new byte[remaining];
                stream.ReadExactly(bytes);
                if (stream.ReadByte() < 0)
                {
                    return bytes;
                }

                stream.Seek(-1 - remaining, SeekOrigin.Current);
            }
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Reads float16 values in place from the file's bytes (no copy), converted once here through a table of all 65,536 halves.</summary>
    private static float[] ReadHalves(BinaryReader reader, byte[] bytes, MemoryStream body, int expected)
    {
        var length = reader.ReadInt32();
        if (length != expected)
        {
            throw new InvalidDataException($"Expected {expected} values, found {length}.");
        }

        var start = body.Position;
        if (body.Length - start < (long)length * 2)
        {
            throw new InvalidDataException("The model file is truncated.");
        }

        var halves = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan((int)start, length * 2));
        body.Position = start + (long)length * 2;
        var table = HalfTable.Value;
        var values = GC.AllocateUninitializedArray<float>(length);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = table[halves[i]];
        }

        return values;
    }

    /// <summary>Every float16 bit pattern as a float, computed by the same conversion the reader used before.</summary>
    private static readonly Lazy<float[]> HalfTable = new(() =>
    {
        var table = new float[ushort.MaxValue + 1];
        for (var bits = 0; bits < table.Length; bits++)
        {
            table[bits] = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
        }

        return table;
    });
}
