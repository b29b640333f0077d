package dev.porter.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every
 * test class by JUnit's extension auto-detection (META-INF/services; enabled in the parent pom).
 *
 * <p>Netty only notices a leak when the leaked buffer has been garbage collected and a later
 * allocation polls the detector's queue, so this collects garbage and allocates a few
 * tracked buffers before it looks.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
                ByteBuf c = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
                a.release();
                b.release();
                c.release();
            }
        }
        List<String> leaks = LeakCountingDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }
}
