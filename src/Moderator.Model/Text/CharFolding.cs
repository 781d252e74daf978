namespace Moderator.Model.Text;

/// <summary>
/// One table lookup per UTF-16 unit: lower case, accents removed, look-alike letters (Cyrillic, Greek,
/// fullwidth, circled) mapped to Latin, invisible characters dropped. Built once; no ICU needed.
/// </summary>
internal static class CharFolding
{
    /// <summary>Marks a character that carries no text (zero-width, bidi control, combining mark): dropped.</summary>
    public const char Drop = '\uFFFF';

    private const int EmojiFirst = 0x1F300;
    private const int EmojiLast = 0x1FAFF;
    private const char EmojiBase = '\uE000';

    private static readonly char[] Table = Build();

    /// <summary>True for the private-use characters that stand for pictographs.</summary>
    public static bool IsEmoji(char c) => c is >= EmojiBase and <= (char)(EmojiBase + (EmojiLast - EmojiFirst));

    public static char Fold(char c) => Table[c];

    /// <summary>Folds a supplementary code point (mathematical alphanumerics and the like) or returns a space.</summary>
    public static char FoldSupplementary(int codePoint)
    {
        // Mathematical alphanumeric letters: 13 styles of A-Z a-z in blocks of 52.
        if (codePoint is >= 0x1D400 and <= 0x1D6A3)
        {
            var index = (codePoint - 0x1D400) % 52;
            return (char)(index < 26 ? 'a' + index : 'a' + index - 26);
        }

        // Mathematical digits: 5 styles of 0-9.
        if (codePoint is >= 0x1D7CE and <= 0x1D7FF)
        {
            return (char)('0' + ((codePoint - 0x1D7CE) % 10));
        }

        // Enclosed and squared Latin capitals (🄰, 🅐, 🅰).
        if (codePoint is >= 0x1F130 and <= 0x1F149)
        {
            return (char)('a' + (codePoint - 0x1F130));
        }

        if (codePoint is >= 0x1F150 and <= 0x1F169)
        {
            return (char)('a' + (codePoint - 0x1F150));
        }

        if (codePoint is >= 0x1F170 and <= 0x1F189)
        {
            return (char)('a' + (codePoint - 0x1F170));
        }

        // Regional indicator letters (🇦 ... 🇿) used one by one to spell words.
        if (codePoint is >= 0x1F1E6 and <= 0x1F1FF)
        {
            return (char)('a' + (codePoint - 0x1F1E6));
        }

        // Pictographs become one private-use character each, read as a word of their own ("🖕", "🍆", "😏").
        if (codePoint is >= EmojiFirst and <= EmojiLast)
        {
            return (char)(EmojiBase + (codePoint - EmojiFirst));
        }

        // Tag characters and variation selectors supplement carry nothing visible.
        if (codePoint is >= 0xE0000 and <= 0xE01EF)
        {
            return Drop;
        }

        return ' ';
    }

    private static char[] Build()
    {
        var table = new char[65536];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = char.ToLowerInvariant((char)i);
        }

        // Controls: drop, except the ones that separate words.
        for (var i = 0; i < 0x20; i++)
        {
            table[i] = Drop;
        }

        table['\t'] = ' ';
        table['\n'] = ' ';
        table['\r'] = ' ';
        table['\0'] = ' ';
        table['\f'] = ' ';
        table['\v'] = ' ';
        for (var i = 0x7F; i <= 0x9F; i++)
        {
            table[i] = Drop;
        }

        // Zero-width, joiners, bidi controls, soft hyphen, variation selectors, combining marks.
        foreach (var (from, to) in new (int, int)[]
                 {
                     (0x00AD, 0x00AD), (0x034F, 0x034F), (0x0300, 0x036F), (0x061C, 0x061C), (0x115F, 0x1160),
                     (0x17B4, 0x17B5), (0x180B, 0x180E), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x200B, 0x200F),
                     (0x202A, 0x202E), (0x2060, 0x206F), (0x20D0, 0x20FF), (0x3164, 0x3164), (0xFE00, 0xFE0F),
                     (0xFE20, 0xFE2F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
                 })
        {
            for (var i = from; i <= to; i++)
            {
                table[i] = Drop;
            }
        }

        // Spaces of every width.
        foreach (var i in new[] { 0x00A0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 })
        {
            table[i] = ' ';
        }

        for (var i = 0x2000; i <= 0x200A; i++)
        {
            table[i] = ' ';
        }

        // Latin-1 letters with accents.
        Map(table, 0x00C0, "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y");

        // Latin Extended-A, U+0100..U+017F.
        Map(table, 0x0100, "aaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll....nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzs");

        // Latin Extended-B and IPA letters that pass for ASCII.
        MapPairs(table, "ƀbƁbƂbƃbƇcƈcƉdƊdƋdƌdƑfƒfƓgƗiƘkƙkƚlƝnƞnƟoƠoơoƤpƥpƫtƬtƭtƮtƯuưuƳyƴyƵzƶzǍaǎaǏiǐiǑoǒoǓuǔuǕuǖuǗuǘuǙuǚuǛuǜuǞaǟaǠaǡaǤgǥgǦgǧgǨkǩkǪoǫoǬoǭoǰjǴgǵgǸnǹnǺaǻaǾoǿoȀaȁaȂaȃaȄeȅeȆeȇeȈiȉiȊiȋiȌoȍoȎoȏoȐrȑrȒrȓrȔuȕuȖuȗuȘsșsȚtțtȞhȟhȤzȥzȦaȧaȨeȩeȪoȫoȬoȭoȮoȯoȰoȱoȲyȳyȷjɑaɓbɔoɖdɗdɘeəeɛeɡgɢgɦhɨiɩiɪiɯmɱmɲnɳnɴnɵoɾrʀrʂsʈtʉuʋvʏyʐzʑzʝjʟl");

        // Latin Extended Additional (Vietnamese and friends), U+1E00..U+1EFF.
        Map(table, 0x1E00, "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy.s....aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......");

        // Small capitals and modifier letters used to dodge filters.
        MapPairs(table, "ᴀaʙbᴄcᴅdᴇeꜰfɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘpʀrꜱsᴛtᴜuᴠvᴡwʏyᴢzᵃaᵇbᶜcᵈdᵉeᶠfᵍgʰhⁱiʲjᵏkˡlᵐmⁿnᵒoᵖpʳrˢsᵗtᵘuᵛvʷwˣxʸyᶻz");

        // Cyrillic and Greek look-alikes (both cases).
        MapPairs(table, "аaАaвbВbсcСcԁdеeЕeёeЁeѐeһhНhнhіiІiїiЇiјjЈjкkКkӏlмmМmпnоoОoрpРpԛqѕsЅsтtТtуyУyхxХxԝwѡwьbЬbгrɡgԍgզqաwոnսuхxʏy");
        MapPairs(table, "αaΑaβbΒbγyδdεeΕeζzΖzηnΗhιiΙiκkΚkλlμuΜmνvΝnοoΟoπnρpΡpσoςcτtΤtυuΥyφfχxΧxψwωwάaέeήnίiόoύuώwϊiϋu");

        // Fullwidth ASCII.
        for (var i = 0xFF01; i <= 0xFF5E; i++)
        {
            table[i] = char.ToLowerInvariant((char)(i - 0xFF01 + 0x21));
        }

        // Circled and parenthesised letters and digits.
        for (var i = 0; i < 26; i++)
        {
            table[0x24B6 + i] = (char)('a' + i);
            table[0x24D0 + i] = (char)('a' + i);
            table[0x249C + i] = (char)('a' + i);
        }

        for (var i = 0; i < 9; i++)
        {
            table[0x2460 + i] = (char)('1' + i);
            table[0x2474 + i] = (char)('1' + i);
            table[0x2488 + i] = (char)('1' + i);
        }

        table[0x24EA] = '0';

        // Typographic punctuation to its ASCII form.
        MapPairs(table, "\u2018'\u2019'\u201A'\u201B'\u2032'\u02BC'\u0060'\u00B4'\u201C\"\u201D\"\u201E\"\u2033\"\u2010-\u2011-\u2012-\u2013-\u2014-\u2015-\u2212-\u2024.\u2027.\u00B7.\u2022.\u2219.");
        MapPairs(table, "\u0111d\u0110d\u0127h\u0126h\u0140l\u013Fl\u0167t\u0166t\u014Bn\u014An\u0138k\u00DFs\u00E6a\u00C6a\u0153o\u0152o\u00F8o\u00D8o\u0131i\u0142l\u0141l\u00F0d\u00D0d\u00FEt\u00DEt");

        return table;
    }

    private static void Map(char[] table, int start, string targets)
    {
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[i];
            if (char.IsAsciiLetterLower(target))
            {
                table[start + i] = target;
            }
        }
    }

    private static void MapPairs(char[] table, string pairs)
    {
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            table[pairs[i]] = pairs[i + 1];
        }
    }
}
