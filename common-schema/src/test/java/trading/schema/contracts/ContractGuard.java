package trading.schema.contracts;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a contract can read data written with an older version of itself: Avro's own
 * reader/writer compatibility check, plus the one thing it does not look at, the scale of
 * decimals (bytes stay bytes, but 1.5 written with scale 1 would read as 0.15 with scale 2).
 */
final class ContractGuard {

    private ContractGuard() {
    }

    /** What stops {@code reader} from reading what {@code writer} wrote; empty when it can. */
    static List<String> backwardProblems(Schema reader, Schema writer) {
        List<String> problems = new ArrayList<>();
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(incompatibility.getType() + " at "
                    + fieldName(reader, incompatibility.getLocation()) + incompatibility.getLocation() + ": " + incompatibility.getMessage()));
        }
        compareDecimals(reader, writer, reader.getFullName(), problems);
        return problems;
    }

    /** "price " for a location such as /fields/1/type, so that a failure names the field. */
    private static String fieldName(Schema reader, String location) {
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("^/fields/(\\d+)").matcher(location);
        if (reader.getType() == Schema.Type.RECORD && field.find()) {
            int index = Integer.parseInt(field.group(1));
            if (index < reader.getFields().size()) {
                return reader.getFields().get(index).name() + " ";
            }
        }
        return "";
    }

    static boolean same(Schema a, Schema b) {
        return SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b)
                && a.toString().equals(b.toString());
    }

    private static void compareDecimals(Schema reader, Schema writer, String path, List<String> problems) {
        if (reader.getType() == Schema.Type.RECORD && writer.getType() == Schema.Type.RECORD) {
            for (Schema.Field field : reader.getFields()) {
                Schema.Field old = writer.getField(field.name());
                if (old != null) {
                    compareDecimals(field.schema(), old.schema(), path + "." + field.name(), problems);
                }
            }
            return;
        }
        if (reader.getType() == Schema.Type.UNION && writer.getType() == Schema.Type.UNION) {
            for (Schema branch : reader.getTypes()) {
                for (Schema oldBranch : writer.getTypes()) {
                    if (branch.getType() == oldBranch.getType()) {
                        compareDecimals(branch, oldBranch, path, problems);
                    }
                }
            }
            return;
        }
        LogicalType now = reader.getLogicalType();
        LogicalType before = writer.getLogicalType();
        if (now instanceof LogicalTypes.Decimal decimal && before instanceof LogicalTypes.Decimal old
                && decimal.getScale() != old.getScale()) {
            problems.add("DECIMAL_SCALE at " + path + ": scale " + old.getScale() + " was written, " + decimal.getScale()
                    + " would read it");
        }
    }
}
