package io.mnistspark.data;

import java.net.URI;
import java.util.List;

/** Where MNIST can be downloaded from, and the checksums of the official files. */
public final class MnistDownload {
    private MnistDownload() {
    }

    /** Public mirrors of the original files (LeCun's own site often refuses downloads). */
    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    /** The official gzip files with their sizes in bytes, MD5 (as published) and SHA-256. */
    public static final List<DatasetFetcher.ExpectedFile> FILES = List.of(
            new DatasetFetcher.ExpectedFile("train-images-idx3-ubyte.gz", 9912422, "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new DatasetFetcher.ExpectedFile("train-labels-idx1-ubyte.gz", 28881, "d53e105ee54ea40749a09fcbcd1e9432",
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new DatasetFetcher.ExpectedFile("t10k-images-idx3-ubyte.gz", 1648877, "9fb629c4189551a2d022fa330f9573f3",
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new DatasetFetcher.ExpectedFile("t10k-labels-idx1-ubyte.gz", 4542, "ec29112dd5afa0611ce80d1b7f02629c",
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));
}
