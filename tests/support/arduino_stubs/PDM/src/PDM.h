/* Compile-only stand-in for the Arduino Mbed OS Nano core's PDM library: the API the generated
 * examples use (begin, end, onReceive, setGain, setBufferSize, available, read). Hears silence:
 * begin() calls nothing back and read() returns zeros. */
#ifndef PDM_STUB_H
#define PDM_STUB_H

#include <stddef.h>
#include <string.h>

class StubPDM {
public:
    int begin(int channels, int sampleRate)
    {
        channels_ = channels;
        rate_ = sampleRate;
        return channels > 0 && sampleRate > 0;
    }
    void end() {}
    void onReceive(void (*function)(void)) { callback_ = function; }
    void setGain(int gain) { gain_ = gain; }
    void setBufferSize(int bufferSize) { buffer_size_ = bufferSize; }
    int available() { return 0; }
    int read(void *buffer, size_t size)
    {
        memset(buffer, 0, size);
        return (int)size;
    }

private:
    void (*callback_)(void) = nullptr;
    int channels_ = 0;
    int rate_ = 0;
    int gain_ = 0;
    int buffer_size_ = 512;
};

static StubPDM PDM;

#endif
