package dev.gan4j.gan.report;

import dev.gan4j.gan.data.AtomicFiles;
import dev.gan4j.gan.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training metrics table behind metrics.csv: one row per logged step, columns chosen by the trainer,
 * the first always "step". Rows live in memory and the whole file is rewritten atomically on save, so the
 * CSV saved with a checkpoint always matches it; on resume, {@link #truncateAfter} drops rows the
 * checkpoint never saw.
 */
public final class MetricsLog {
    public static final String STEP = "step";
    public static final String LOSS_D = "loss_D";
    public static final String LOSS_G = "loss_G";

    private final List<String> columns;
    private final List<double[]> rows = new ArrayList<>();

    /** @param columns column names, the first being {@value #STEP} */
    public MetricsLog(List<String> columns) {
        this.columns = List.copyOf(columns);
        if (this.columns.isEmpty() || !this.columns.get(0).equals(STEP)) {
            throw new IllegalArgumentException("the first metrics column must be '" + STEP + "', got " + columns);
        }
        for (String column : this.columns) {
            if (column.isBlank() || column.contains(",") || column.contains("\n")) {
                throw new IllegalArgumentException("metrics column name '" + column + "' is not CSV-safe");
            }
        }
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    /** Appends one row, values in column order. */
    public void add(double... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("metrics row has " + values.length + " values for columns " + columns);
        }
        rows.add(values.clone());
    }

    /**
     * Appends a row that gives the first {@code values.length} columns; the others stay NaN until
     * {@link #setLast} fills them (measurements taken less often than every step).
     */
    public void addLeading(double... values) {
        if (values.length > columns.size()) {
            throw new IllegalArgumentException("metrics row has " + values.length + " values for columns " + columns);
        }
        double[] row = new double[columns.size()];
        Arrays.fill(row, Double.NaN);
        System.arraycopy(values, 0, row, 0, values.length);
        rows.add(row);
    }

    /** Sets one column of the last row. */
    public void setLast(String column, double value) {
        int c = columns.indexOf(column);
        if (c < 0 || rows.isEmpty()) {
            throw new IllegalArgumentException(rows.isEmpty() ? "no metrics row to set '" + column + "' in"
                    : "no metrics column '" + column + "' in " + columns);
        }
        rows.get(rows.size() - 1)[c] = value;
    }

    /** Appends every row of another log, matching columns by name; columns it lacks become NaN. */
    public void addRowsOf(MetricsLog other) {
        for (double[] source : other.rows) {
            double[] row = new double[columns.size()];
            for (int c = 0; c < row.length; c++) {
                int from = other.columns.indexOf(columns.get(c));
                row[c] = from < 0 ? Double.NaN : source[from];
            }
            rows.add(row);
        }
    }

    /** Row {@code index}, values in column order. */
    public double[] row(int index) {
        return rows.get(index).clone();
    }

    /** All values of one column, in row order. */
    public double[] column(String name) {
        int c = columns.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("no metrics column '" + name + "' in " + columns);
        }
        return rows.stream().mapToDouble(row -> row[c]).toArray();
    }

    public boolean hasColumn(String name) {
        return columns.contains(name);
    }

    /** Drops every row logged after {@code step}. */
    public void truncateAfter(long step) {
        rows.removeIf(row -> row[0] > step);
    }

    /** Writes the header and all rows, replacing {@code csv} atomically. */
    public void save(Path csv) throws IOException {
        StringBuilder text = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                text.append(c == 0 ? "" : ",").append(format(row[c]));
            }
            text.append('\n');
        }
        AtomicFiles.write(csv, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a file written by {@link #save}; problems name the file, line and column. */
    public static MetricsLog load(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new DataFormatException(csv, "empty, expected a header line starting with '" + STEP + "'");
        }
        MetricsLog log;
        try {
            log = new MetricsLog(Arrays.stream(lines.get(0).split(",", -1)).map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(csv, "bad header: " + e.getMessage(), e);
        }
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                log.rows.add(parseRow(csv, i + 1, lines.get(i), log.columns));
            }
        }
        return log;
    }

    private static double[] parseRow(Path csv, int lineNumber, String line, List<String> columns) {
        String[] fields = line.split(",", -1);
        if (fields.length != columns.size()) {
            throw new DataFormatException(csv, "line " + lineNumber + " has " + fields.length + " values, the header "
                    + columns.size());
        }
        double[] row = new double[fields.length];
        for (int c = 0; c < fields.length; c++) {
            try {
                row[c] = Double.parseDouble(fields[c].strip());
            } catch (NumberFormatException e) {
                throw new DataFormatException(csv, "line " + lineNumber + ", column " + columns.get(c) + ": '"
                        + fields[c].strip() + "' is not a number", e);
            }
        }
        return row;
    }

    /** Whole numbers (step, epoch) without a trailing ".0"; everything else exactly, as Java prints doubles. */
    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
