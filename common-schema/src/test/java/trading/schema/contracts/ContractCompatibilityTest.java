package trading.schema.contracts;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The contracts as built from src/main/avro against every released version kept in contracts/ (see its README). */
class ContractCompatibilityTest {

    private static final Path RELEASED = Path.of("contracts");

    @Test
    void everyContractReadsEveryReleasedVersionOfItselfAndTheNewestIsKept() throws IOException {
        // each contract of src/main/avro as its generated class holds it (and the registry receives it)
        Map<String, Schema> contracts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/avro"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".avsc", "");
                contracts.put(name, generated(name));
            }
        }
        assertFalse(contracts.isEmpty());
        List<String> problems = new ArrayList<>();
        contracts.forEach((name, current) -> {
            List<Path> versions = versions(RELEASED.resolve(name));
            if (versions.isEmpty()) {
                problems.add(name + ": no released version in " + RELEASED.resolve(name) + "; a new contract is kept there as v1.avsc:\n"
                        + current.toString(true));
                return;
            }
            for (Path version : versions) {
                ContractGuard.backwardProblems(current, parse(version))
                        .forEach(problem -> problems.add(name + " cannot read what " + version + " wrote: " + problem));
            }
            Path newest = versions.get(versions.size() - 1);
            if (problems.isEmpty() && !ContractGuard.same(current, parse(newest))) {
                problems.add(name + " differs from its newest released version " + newest + ". It reads every released"
                        + " version; keep it as " + RELEASED.resolve(name).resolve("v" + (versions.size() + 1) + ".avsc")
                        + ":\n" + current.toString(true));
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void aBreakingChangeIsCaughtAndACompatibleOneIsNot() {
        Schema released = parse(RELEASED.resolve("Price/v1.avsc"));

        // a new field without a default: old prices have no value for it
        Schema required = changed(released, "venue", Schema.create(Schema.Type.STRING), Schema.Field.NULL_DEFAULT_VALUE, true);
        List<String> problems = ContractGuard.backwardProblems(required, released);
        assertTrue(problems.stream().anyMatch(p -> p.contains("READER_FIELD_MISSING_DEFAULT") && p.contains("venue")), problems.toString());

        // money as a double: bytes cannot be read as a double
        Schema asDouble = changed(released, "price", Schema.create(Schema.Type.DOUBLE), null, false);
        problems = ContractGuard.backwardProblems(asDouble, released);
        assertTrue(problems.stream().anyMatch(p -> p.contains("TYPE_MISMATCH") && p.contains("price")), problems.toString());

        // another scale: Avro alone calls this compatible (bytes stay bytes); the guard does not
        Schema rescaled = changed(released, "price",
                LogicalTypes.decimal(24, 4).addToSchema(Schema.create(Schema.Type.BYTES)), null, false);
        problems = ContractGuard.backwardProblems(rescaled, released);
        assertEquals(List.of("DECIMAL_SCALE at trading.schema.Price.price: scale 8 was written, 4 would read it"), problems);

        // an optional field with a default is a compatible change, and a change all the same
        Schema optional = changed(released, "venue",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)), Schema.Field.NULL_DEFAULT_VALUE, false);
        assertEquals(List.of(), ContractGuard.backwardProblems(optional, released));
        assertFalse(ContractGuard.same(optional, released), "a changed contract is not its released version");
    }

    /**
     * {@code record} with field {@code name} given {@code type} (added at the end when it is new);
     * {@code noDefault} drops the default.
     */
    private static Schema changed(Schema record, String name, Schema type, Object defaultValue, boolean noDefault) {
        List<Schema.Field> fields = new ArrayList<>();
        boolean replaced = false;
        for (Schema.Field field : record.getFields()) {
            if (field.name().equals(name)) {
                fields.add(new Schema.Field(name, type, field.doc()));
                replaced = true;
            } else {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        if (!replaced) {
            fields.add(noDefault ? new Schema.Field(name, type, null) : new Schema.Field(name, type, null, defaultValue));
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static Schema generated(String name) {
        try {
            return (Schema) Class.forName("trading.schema." + name).getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no generated class for contract " + name, e);
        }
    }

    private static Schema parse(Path file) {
        try {
            // a parser per file: the same record name appears in every version
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> versions(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("\\D", ""))))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
