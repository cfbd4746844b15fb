package io.mnistspark.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    /** A block as a task gets it: written and read back by Java serialisation (Spark's task serialiser). */
    private static ImageFolder.EntryBlock throughATask(List<ImageFolder.Entry> entries) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ImageFolder.EntryBlock(entries));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ImageFolder.EntryBlock) in.readObject();
        }
    }

    private static List<ImageFolder.Entry> read(ImageFolder.EntryBlock block) {
        List<ImageFolder.Entry> entries = new ArrayList<>();
        for (int i = 0; i < block.size(); i++) {
            entries.add(block.get(i));
        }
        return entries;
    }

    @Test
    void aBlockGivesBackEveryEntryExactly() throws Exception {
        List<ImageFolder.Entry> entries = List.of(
                new ImageFolder.Entry("file:/data/digits/0/a.png", "file:///data/digits/0/a.png", null),
                new ImageFolder.Entry("file:/data/digits/0/b c%.png", "file:///data/digits/0/b%20c%25.png", null),
                new ImageFolder.Entry("file:/data/digits/1/empty.png", "file:///data/digits/1/empty.png", "empty file (0 bytes)"),
                // names that differ inside a surrogate pair (two emoji sharing their high surrogate)
                new ImageFolder.Entry("file:/data/digits/\uD83D\uDE00.png", "file:///data/digits/%F0%9F%98%80.png", null),
                new ImageFolder.Entry("file:/data/digits/\uD83D\uDE01.png", "file:///data/digits/%F0%9F%98%81.png", null),
                new ImageFolder.Entry("file:/data/digits/\u00e9t\u00e9 #1.png", "file:///data/digits/%C3%A9t%C3%A9%20%231.png", null));
        assertEquals(entries, read(throughATask(entries)));
        List<ImageFolder.Entry> emoji = entries.subList(3, 5);
        assertEquals(emoji, read(throughATask(emoji)), "names that differ only in a surrogate pair's second half");
    }

    @Test
    void entriesWithNothingInCommonAndSingleEntriesRoundTrip() throws Exception {
        List<ImageFolder.Entry> entries = List.of(
                new ImageFolder.Entry("hdfs://nn:8020/a/1.png", "hdfs://nn:8020/a/1.png", null),
                new ImageFolder.Entry("s3a://bucket/1.png", "s3a://bucket/1.png", "not a regular file"),
                new ImageFolder.Entry("", "", null));
        assertEquals(entries, read(throughATask(entries)));
        assertEquals(entries.subList(0, 1), read(throughATask(entries.subList(0, 1))));
        assertEquals(List.of(), read(throughATask(List.of())));
    }

    @Test
    void aBlockCarriesEachNameOnceNotTheCommonFolder() throws Exception {
        List<ImageFolder.Entry> entries = new ArrayList<>();
        String folder = "file:/a/rather/long/folder/of/digit/images/scanned/in/2026/";
        for (int i = 0; i < 1000; i++) {
            entries.add(new ImageFolder.Entry(folder + i + ".png", folder.replace("file:/", "file:///") + i + ".png", null));
        }
        ByteArrayOutputStream blockBytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(blockBytes)) {
            out.writeObject(new ImageFolder.EntryBlock(entries));
        }
        ByteArrayOutputStream listBytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(listBytes)) {
            out.writeObject(new ArrayList<>(entries));
        }
        assertTrue(blockBytes.size() * 5 < listBytes.size(), "block " + blockBytes.size() + " bytes, list "
                + listBytes.size());
        assertEquals(entries, read(throughATask(entries)));
    }

    @Test
    void theWarmUpThrowsNothingWhateverTheFirstFileIs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path png = dir.resolve("a.png");
        java.nio.file.Files.write(png, ImageDecoderTest.encode(GreyPngTest.mixedGrey(28, 28, 3), "png"));
        java.nio.file.Path text = java.nio.file.Files.writeString(dir.resolve("b.txt"), "not an image");
        for (List<ImageFolder.Entry> entries : List.of(
                List.of(new ImageFolder.Entry("x", "file:///no/such/file.png", null)),
                List.of(new ImageFolder.Entry("x", "hdfs://nn:8020/a.png", null)),
                List.of(new ImageFolder.Entry("x", png.toUri().toString(), "empty file (0 bytes)")),
                List.of(new ImageFolder.Entry("t", text.toUri().toString(), null)),
                List.of(new ImageFolder.Entry("p", png.toUri().toString(), null)))) {
            ImageFolder.warmUp(entries, 28, false);
            ImageFolder.warmUp(entries, 28, true);
        }
    }
}
